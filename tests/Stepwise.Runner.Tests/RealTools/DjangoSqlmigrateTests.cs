using System.Globalization;
using System.Text.Json;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests.RealTools;

/// <summary>
/// Django's own <c>manage.py sqlmigrate</c> (Debian's python3-django; python3-psycopg2 for PostgreSQL) on a tiny
/// app: its output, wrapped in <c>BEGIN; … COMMIT;</c>, piped to <c>stepwise lint -</c> gives the expected
/// findings, and the same output saved as migration files applies (the file's own transaction kept).
/// </summary>
[Collection("postgres")]
public sealed class DjangoSqlmigrateTests(PostgresFixture fixture) : IDisposable
{
    private const string Settings = """
        import os
        SECRET_KEY = "test-only"
        INSTALLED_APPS = ["shop"]
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        if os.environ.get("DJANGO_DB") == "postgres":
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["PGDATABASE"], "USER": os.environ["PGUSER"], "HOST": os.environ["PGHOST"], "PORT": os.environ["PGPORT"]}}
        else:
            DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(os.path.dirname(__file__), "unused.sqlite3")}}

        """;

    private const string ModelsV1 = """
        from django.db import models

        class Author(models.Model):
            name = models.CharField(max_length=100)

        class Book(models.Model):
            title = models.CharField(max_length=200)
            author = models.ForeignKey(Author, on_delete=models.CASCADE)

        """;

    // a field with a default (no prompt from makemigrations) and an index on an existing table
    private const string ModelsV2 = """
        from django.db import models

        class Author(models.Model):
            name = models.CharField(max_length=100)

        class Book(models.Model):
            title = models.CharField(max_length=200)
            author = models.ForeignKey(Author, on_delete=models.CASCADE)
            isbn = models.CharField(max_length=13, default="")

            class Meta:
                indexes = [models.Index(fields=["title"], name="shop_book_title_idx")]

        """;

    private readonly LayoutFolder _folder = new("stepwise-django-");

    public void Dispose() => _folder.Dispose();

    private string App => Path.Combine(_folder.Root, "app");

    private Dictionary<string, string?> _environment = [];

    /// <summary>The Django project with its two migrations, made by Django's own makemigrations.</summary>
    private async Task<string> MakeProjectAsync()
    {
        var python = RealTool.Python;
        RealTool.Require(python is not null, "python3 is not installed");
        var version = await ChildProcess.RunAsync(python!, ["-c", "import django; print(django.get_version())"], timeout: TimeSpan.FromSeconds(30));
        RealTool.Require(version.ExitCode == 0, "Django is not installed for " + python + " (apt-get install -y python3-django python3-psycopg2)");

        Directory.CreateDirectory(Path.Combine(App, "shop", "migrations"));
        Directory.CreateDirectory(Path.Combine(App, "site_cfg"));
        foreach (var init in new[] { "shop/__init__.py", "shop/migrations/__init__.py", "site_cfg/__init__.py" })
        {
            File.WriteAllText(Path.Combine(App, init), string.Empty);
        }

        File.WriteAllText(Path.Combine(App, "manage.py"), "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_cfg.settings')\nfrom django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n");
        File.WriteAllText(Path.Combine(App, "site_cfg", "settings.py"), Settings);
        File.WriteAllText(Path.Combine(App, "shop", "models.py"), ModelsV1);
        await ManageAsync("makemigrations", "shop", "--noinput", "--name", "initial");
        File.WriteAllText(Path.Combine(App, "shop", "models.py"), ModelsV2);
        await ManageAsync("makemigrations", "shop", "--noinput", "--name", "isbn_title_index");
        return python!;
    }

    private async Task<string> ManageAsync(params string[] args)
    {
        var r = await ChildProcess.RunAsync(RealTool.Python!, ["manage.py", .. args], environment: _environment, timeout: TimeSpan.FromSeconds(60), workingDirectory: App);
        Assert.True(r.ExitCode == 0, RealTool.Show(r));
        return r.StandardOutput;
    }

    private async Task<List<string>> LintStdinAsync(string sql, string dialect)
    {
        var r = await ChildProcess.RunAsync("dotnet", [Stepwise.Dll, "lint", "-", "--dialect", dialect, "--format", "json"], timeout: TimeSpan.FromSeconds(60), workingDirectory: _folder.Root, standardInput: sql);
        Assert.True(r.ExitCode is 0 or 1, RealTool.Show(r));
        using var json = JsonDocument.Parse(r.StandardOutput);
        return json.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("rule").GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    [SkippableFact]
    public async Task Sqlmigrate_on_sqlite_is_linted_through_stdin_and_its_BEGIN_COMMIT_files_apply()
    {
        await MakeProjectAsync();
        var initial = await ManageAsync("sqlmigrate", "shop", "0001");
        var change = await ManageAsync("sqlmigrate", "shop", "0002");
        Assert.StartsWith("BEGIN;", initial, StringComparison.Ordinal);
        Assert.Contains("COMMIT;", change, StringComparison.Ordinal);
        Assert.Contains("new__shop_book", change, StringComparison.Ordinal); // SQLite: Django rebuilds the table

        // a table rebuild inside one transaction is how SQLite changes a table: nothing to report
        Assert.Empty(await LintStdinAsync(initial, "sqlite"));
        Assert.Empty(await LintStdinAsync(initial + change, "sqlite"));

        _folder.Write("0001_initial.up.sql", initial);
        _folder.Write("0002_isbn_title_index.up.sql", change);
        var db = new SqliteFile(Path.Combine(_folder.Root, "app.db"));
        var up = await _folder.RunAsync("up", "--database", db.Url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Equal(1, db.Count("SELECT count(*) FROM pragma_table_info('shop_book') WHERE name = 'isbn'"));
        Assert.Equal(1, db.Count("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'shop_book_title_idx'"));
        Assert.Equal(2, db.Count("SELECT count(*) FROM stepwise_migrations WHERE state = 'applied'"));
    }

    [SkippableFact]
    public async Task Sqlmigrate_on_postgres_is_linted_through_stdin_with_the_expected_findings_and_applies()
    {
        await MakeProjectAsync();
        var dbName = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("django_sqlmigrate")).Database!;
        _environment = new Dictionary<string, string?>
        {
            ["DJANGO_DB"] = "postgres",
            ["PGDATABASE"] = dbName,
            ["PGUSER"] = PostgresServer.SuperUser,
            ["PGHOST"] = PostgresServer.Host,
            ["PGPORT"] = fixture.Server.Port.ToString(CultureInfo.InvariantCulture),
        };
        var initial = await ManageAsync("sqlmigrate", "shop", "0001");
        var change = await ManageAsync("sqlmigrate", "shop", "0002");
        Assert.StartsWith("BEGIN;", initial, StringComparison.Ordinal);
        Assert.Contains("CREATE INDEX \"shop_book_title_idx\"", change, StringComparison.Ordinal);

        // new tables: nothing to report; the change piped on its own: an index on a table the input did not
        // create blocks writes while it builds (the field's constant default is no rewrite on PostgreSQL 11+)
        Assert.Empty(await LintStdinAsync(initial, "postgres"));
        Assert.Equal(["non-concurrent-index"], await LintStdinAsync(change, "postgres"));

        // the same files as a folder: the change is judged against the schema the initial one made
        _folder.Write("0001_initial.up.sql", initial);
        _folder.Write("0002_isbn_title_index.up.sql", change);
        var folderLint = await _folder.RunAsync("lint", "--format", "json");
        Assert.True(folderLint.ExitCode == 1, LayoutFolder.Show(folderLint));
        using (var json = JsonDocument.Parse(folderLint.StandardOutput))
        {
            Assert.Equal(
                ["0002_isbn_title_index.up.sql non-concurrent-index"],
                json.RootElement.GetProperty("diagnostics").EnumerateArray().Select(d => Path.GetFileName(d.GetProperty("path").GetString()) + " " + d.GetProperty("rule").GetString()));
        }

        var url = fixture.Server.PasswordUrlFor(dbName);
        var up = await _folder.RunAsync("up", "--allow-unsafe", "--database", url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE indexname = 'shop_book_title_idx'", dbName), CultureInfo.InvariantCulture));
        Assert.Equal(2L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM stepwise_migrations WHERE state = 'applied'", dbName), CultureInfo.InvariantCulture));
    }
}
