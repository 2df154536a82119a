using System.Text.Json;
using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>What `stepwise lint --database` reads from the JSON report: each diagnostic's rule, severity, table
/// size and, when size-aware lint lowered it, the severity it had.</summary>
internal sealed record SizedDiagnostic(string Rule, string Severity, string? Table, long? Rows, bool? IsNew, string? LoweredFrom);

/// <summary>The migrations both engines' size-aware lint tests run, and how their JSON is read.</summary>
internal static class SizeAwareLintCase
{
    /// <summary>users (about 20,000 rows) and tags (10 rows) exist in the database; widgets is created by the
    /// migrations only, so it is new.</summary>
    public static void WriteMigrations(string folder, bool mysql)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "0001_init.up.sql"), """
            CREATE TABLE users (id int PRIMARY KEY, email varchar(200), age int);
            CREATE TABLE tags (id int PRIMARY KEY, name varchar(200), age int);
            CREATE TABLE widgets (id int PRIMARY KEY, name varchar(200), age int);

            """);
        File.WriteAllText(Path.Combine(folder, "0002_changes.up.sql"), mysql
            ? "ALTER TABLE users MODIFY age bigint;\nALTER TABLE tags MODIFY age bigint;\nALTER TABLE widgets MODIFY age bigint;\n"
            : "CREATE INDEX users_email ON users (email);\nCREATE INDEX tags_name ON tags (name);\nCREATE INDEX widgets_name ON widgets (name);\n");
    }

    public static List<SizedDiagnostic> Diagnostics(ChildProcessResult result)
    {
        using var json = JsonDocument.Parse(result.StandardOutput);
        var list = new List<SizedDiagnostic>();
        foreach (var d in json.RootElement.GetProperty("diagnostics").EnumerateArray())
        {
            var table = d.TryGetProperty("table", out var t) ? t : (JsonElement?)null;
            list.Add(new SizedDiagnostic(
                d.GetProperty("rule").GetString()!,
                d.GetProperty("severity").GetString()!,
                table?.GetProperty("name").GetString(),
                table?.GetProperty("rows").GetInt64(),
                table?.GetProperty("new").GetBoolean(),
                d.TryGetProperty("loweredFrom", out var l) ? l.GetString() : null));
        }

        return list;
    }

    /// <summary>The locking findings on users, tags and widgets: users keeps its severity and names its size, tags
    /// is small and widgets new, both lowered to info.</summary>
    public static void AssertSizes(ChildProcessResult json, ChildProcessResult text, string rule)
    {
        var all = Diagnostics(json);
        var users = Assert.Single(all, d => d.Rule == rule && d.Table == "users");
        Assert.Equal(("error", false, null), (users.Severity, users.IsNew, users.LoweredFrom));
        Assert.InRange(users.Rows!.Value, 15_000, 25_000); // the catalog's estimate of 20,000 rows
        var tags = Assert.Single(all, d => d.Rule == rule && d.Table == "tags");
        Assert.Equal(("info", false, "error"), (tags.Severity, tags.IsNew, tags.LoweredFrom));
        Assert.InRange(tags.Rows!.Value, 0, 100);
        var widgets = Assert.Single(all, d => d.Rule == rule && d.Table == "widgets");
        Assert.Equal(("info", true, "error", 0L), (widgets.Severity, widgets.IsNew, widgets.LoweredFrom, widgets.Rows));
        Assert.Equal(1, json.ExitCode); // the finding on users is still an error

        Assert.Equal(1, text.ExitCode);
        Assert.Matches(@"= table: users: ~(1[5-9]|2[0-5])k rows, \d+(\.\d)? (kB|MB)", text.StandardOutput);
        Assert.Contains("= info: lowered from error: a small table (below --small-table 10,000 rows) is locked only briefly", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("= table: widgets: new (not in the database)", text.StandardOutput, StringComparison.Ordinal);
    }
}

[Collection("postgres")]
public sealed class SizeAwareLintPostgresTests(PostgresFixture fixture)
{
    private const string Rule = "non-concurrent-index";

    [Fact]
    public async Task A_locking_finding_names_the_size_keeps_its_severity_on_a_big_table_and_drops_to_info_on_small_or_new_ones()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        SizeAwareLintCase.WriteMigrations(pg.Migrations, mysql: false);
        await pg.ExecuteAsync("""
            CREATE TABLE users (id int PRIMARY KEY, email varchar(200), age int);
            INSERT INTO users SELECT g, 'user' || g || '@example.com', 30 FROM generate_series(1, 20000) g;
            CREATE TABLE tags (id int PRIMARY KEY, name varchar(200), age int);
            INSERT INTO tags SELECT g, 'tag' || g, 1 FROM generate_series(1, 10) g;
            ANALYZE users; ANALYZE tags;
            """);

        var json = await LintAsync(pg, pg.Url, "--format", "json");
        var text = await LintAsync(pg, pg.Url);
        SizeAwareLintCase.AssertSizes(json, text, Rule);

        // --small-table above users' size lowers it too; so does small-table in stepwise.toml
        var high = SizeAwareLintCase.Diagnostics(await LintAsync(pg, pg.Url, "--format", "json", "--small-table", "50000"));
        Assert.Equal("info", Assert.Single(high, d => d.Rule == Rule && d.Table == "users").Severity);
        var config = Path.Combine(pg.Root, "sizes.toml");
        await File.WriteAllTextAsync(config, "small-table = 50000\n");
        var configured = await LintAsync(pg, pg.Url, "--format", "json", "--config", config);
        Assert.Equal(0, configured.ExitCode);
        Assert.Equal("info", Assert.Single(SizeAwareLintCase.Diagnostics(configured), d => d.Rule == Rule && d.Table == "users").Severity);

        // without --database nothing changes: an error on every table, no size
        var plain = await Stepwise.RunAsync(pg.Root, TimeSpan.FromSeconds(60), "lint", "--format", "json", pg.Migrations);
        var unsized = SizeAwareLintCase.Diagnostics(plain).Where(d => d.Rule == Rule).ToList();
        Assert.Equal(3, unsized.Count);
        Assert.All(unsized, d => Assert.Equal(("error", null, null), (d.Severity, d.Table, d.LoweredFrom)));
    }

    [Fact]
    public async Task Sarif_carries_the_size_and_a_bad_password_is_exit_2_without_the_password()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        SizeAwareLintCase.WriteMigrations(pg.Migrations, mysql: false);
        await pg.ExecuteAsync("CREATE TABLE users (id int PRIMARY KEY, email varchar(200), age int); CREATE TABLE tags (id int PRIMARY KEY, name varchar(200), age int); ANALYZE users;");

        var sarif = await LintAsync(pg, pg.Url, "--format", "sarif");
        using (var doc = JsonDocument.Parse(sarif.StandardOutput))
        {
            var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            var users = Assert.Single(results, r => r.TryGetProperty("properties", out var p) && p.GetProperty("table").GetProperty("name").GetString() == "users");
            Assert.Equal("note", users.GetProperty("level").GetString()); // empty: lowered
            Assert.Equal("error", users.GetProperty("properties").GetProperty("loweredFrom").GetString());
            Assert.Contains("users: ~0 rows", users.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        }

        var wrong = pg.Url.Replace(PostgresServer.Password, "not-the-password-42", StringComparison.Ordinal);
        var refused = await LintAsync(pg, wrong);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("cannot read table sizes from", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-42", refused.StandardError + refused.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, (await LintAsync(pg, "sqlite:" + Path.Combine(pg.Root, "x.db"))).ExitCode);
    }

    private static async Task<ChildProcessResult> LintAsync(PgScenario pg, string url, params string[] args)
    {
        var result = await Stepwise.RunAsync(pg.Root, TimeSpan.FromSeconds(60), ["lint", "--database", url, .. args, pg.Migrations]);
        PgScenario.AssertNoPassword(result, "lint");
        return result;
    }
}

[Collection("mariadb")]
public sealed class SizeAwareLintMariaDbTests(MariaDbFixture fixture) : IDisposable
{
    private const string Rule = "changing-column-type";
    private readonly LayoutFolder _folder = new("stepwise-sizes-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_locking_finding_names_the_size_keeps_its_severity_on_a_big_table_and_drops_to_info_on_small_or_new_ones()
    {
        var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync()).Database;
        await fixture.Server.ExecuteAsync(
            """
            CREATE TABLE users (id int PRIMARY KEY, email varchar(200), age int);
            INSERT INTO users SELECT seq, CONCAT('user', seq, '@example.com'), 30 FROM seq_1_to_20000;
            CREATE TABLE tags (id int PRIMARY KEY, name varchar(200), age int);
            INSERT INTO tags SELECT seq, CONCAT('tag', seq), 1 FROM seq_1_to_10;
            ANALYZE TABLE users, tags;
            """,
            database);
        SizeAwareLintCase.WriteMigrations(_folder.Migrations, mysql: true);
        var url = fixture.Server.PasswordUrlFor(database);

        var json = await LintAsync(url, "--format", "json");
        var text = await LintAsync(url);
        SizeAwareLintCase.AssertSizes(json, text, Rule);

        var wrong = url.Replace(MariaDbServer.Password, "not-the-password-42", StringComparison.Ordinal);
        var refused = await LintAsync(wrong);
        Assert.Equal(2, refused.ExitCode);
        Assert.DoesNotContain("not-the-password-42", refused.StandardError + refused.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<ChildProcessResult> LintAsync(string url, params string[] args)
    {
        var result = await _folder.RunAsync(["lint", "--database", url, .. args, _folder.Migrations]);
        PgScenario.AssertNoPassword(result, "lint", MariaDbServer.Password);
        return result;
    }
}
