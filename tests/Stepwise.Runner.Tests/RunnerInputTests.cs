using System.Text.Json;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>Issue 11: bad input to `up`/`down`, a corrupt journal, and `new`, on a SQLite file (nothing to install).</summary>
public sealed class RunnerInputTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-input-");

    public void Dispose() => _folder.Dispose();

    private SqliteFile Db => new(Path.Combine(_folder.Root, "x.db"));

    private async Task ApplyTwoAsync()
    {
        _folder.Write("20240101000000_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        _folder.Write("20240101000000_a.down.sql", "DROP TABLE a;\n");
        _folder.Write("20240102000000_b.up.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\n");
        _folder.Write("20240102000000_b.down.sql", "DROP TABLE b;\n");
        var up = await _folder.RunAsync("up", "--database", Db.Url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("2024-01-01")]
    [InlineData("2024010100000")] // one digit short of 20240101000000
    public async Task Down_to_a_version_no_migration_has_is_a_usage_error_and_rolls_back_nothing(string version)
    {
        await ApplyTwoAsync();
        var down = await _folder.RunAsync("down", "--to", version, "--database", Db.Url);
        Assert.True(down.ExitCode == 2, LayoutFolder.Show(down));
        Assert.Contains($"no migration has version {version}", down.StandardError, StringComparison.Ordinal);
        Assert.True(Db.TableExists("a") && Db.TableExists("b"), "down --to an unknown version rolled something back");
        Assert.Equal(2, Db.Count("SELECT count(*) FROM stepwise_migrations WHERE state = 'applied'"));
    }

    [Fact]
    public async Task Down_to_an_existing_version_and_to_0_still_work()
    {
        await ApplyTwoAsync();
        var down = await _folder.RunAsync("down", "--to", "20240101000000", "--database", Db.Url);
        Assert.True(down.ExitCode == 0, LayoutFolder.Show(down));
        Assert.True(Db.TableExists("a") && !Db.TableExists("b"));
        var all = await _folder.RunAsync("down", "--to", "00000000000000", "--database", Db.Url);
        Assert.True(all.ExitCode == 0, LayoutFolder.Show(all));
        Assert.False(Db.TableExists("a"));
    }

    [Fact]
    public async Task Up_to_a_version_no_migration_has_is_a_usage_error_and_applies_nothing()
    {
        _folder.Write("20240101000000_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        _folder.Write("20240102000000_b.up.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\n");
        var up = await _folder.RunAsync("up", "--to", "20240103000000", "--database", Db.Url);
        Assert.True(up.ExitCode == 2, LayoutFolder.Show(up));
        Assert.Contains("no migration has version 20240103000000", up.StandardError, StringComparison.Ordinal);
        Assert.False(Db.TableExists("a"));
        Assert.False(Db.TableExists("b"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    public async Task Down_with_a_count_below_1_is_a_usage_error(string count)
    {
        await ApplyTwoAsync();
        var down = await _folder.RunAsync("down", count, "--database", Db.Url);
        Assert.True(down.ExitCode == 2, LayoutFolder.Show(down));
        Assert.Contains("at least 1", down.StandardError, StringComparison.Ordinal);
        Assert.True(Db.TableExists("a") && Db.TableExists("b"));
    }

    [Fact]
    public async Task A_journal_row_with_an_unknown_state_is_a_corrupt_journal_and_nothing_runs()
    {
        await ApplyTwoAsync();
        _folder.Write("20240103000000_c.up.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);\n");
        Db.Execute("UPDATE stepwise_migrations SET state = 'bogus' WHERE version = '20240102000000'");

        var status = await _folder.RunAsync("status", "--database", Db.Url);
        Assert.True(status.ExitCode == 1, LayoutFolder.Show(status));
        Assert.Contains("corrupt", status.StandardError, StringComparison.Ordinal);
        Assert.Contains("bogus", status.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("pending", status.StandardOutput, StringComparison.Ordinal);

        foreach (var command in new[] { "up", "down", "validate", "repair" })
        {
            var run = await _folder.RunAsync(command, "--database", Db.Url);
            Assert.True(run.ExitCode == 1, $"{command}: {LayoutFolder.Show(run)}");
            Assert.Contains("corrupt", run.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        }

        Assert.False(Db.TableExists("c"), "up ran a migration over a corrupt journal");
        Assert.True(Db.TableExists("b"), "a migration recorded with an unknown state was rolled back or re-run");
        Assert.Equal("bogus", Db.Scalar("SELECT state FROM stepwise_migrations WHERE version = '20240102000000'"));
    }

    [Fact]
    public async Task New_never_creates_a_version_that_already_exists()
    {
        // every version from a second ago to 20 s ahead is taken, so `new` must find the next free one
        var now = DateTime.UtcNow;
        for (var s = -1; s <= 20; s++)
        {
            var v = now.AddSeconds(s).ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
            _folder.Write($"{v}_taken.up.sql", "SELECT 1;\n");
        }

        var a = await _folder.RunAsync("new", "a");
        Assert.True(a.ExitCode == 0, LayoutFolder.Show(a));
        var b = await _folder.RunAsync("new", "b");
        Assert.True(b.ExitCode == 0, LayoutFolder.Show(b));

        var versions = Directory.GetFiles(_folder.Migrations, "*.up.sql").Select(f => Path.GetFileName(f).Split('_')[0]).ToList();
        Assert.Equal(versions.Count, versions.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(24, versions.Count);

        var status = await _folder.RunAsync("status", "--database", Db.Url, "--format", "json");
        Assert.True(status.ExitCode == 0, LayoutFolder.Show(status));
        using var doc = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal(24, doc.RootElement.GetProperty("migrations").GetArrayLength());
    }

    [Fact]
    public async Task New_keeps_unicode_letters_and_digits_in_the_name()
    {
        var r = await _folder.RunAsync("new", "ünïcødé 2 straße-日本");
        Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
        var up = Assert.Single(Directory.GetFiles(_folder.Migrations, "*.up.sql"));
        Assert.EndsWith("_ünïcødé_2_straße_日本.up.sql", Path.GetFileName(up), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_folder.Migrations, "*_ünïcødé_2_straße_日本.down.sql"));
    }

    [Fact]
    public async Task New_in_a_drizzle_folder_adds_a_journal_entry_and_its_file_and_the_folder_applies()
    {
        _folder.Write("meta/_journal.json", "{\n  \"version\": \"7\",\n  \"dialect\": \"sqlite\",\n  \"entries\": [\n    { \"idx\": 0, \"version\": \"6\", \"when\": 1700000000000, \"tag\": \"0000_a\", \"breakpoints\": true }\n  ]\n}\n");
        _folder.Write("0000_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");

        var r = await _folder.RunAsync("new", "add b");
        Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
        Assert.Contains("0001_add_b.sql", r.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("_journal.json", r.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder.Migrations, "*.up.sql"));
        File.AppendAllText(Path.Combine(_folder.Migrations, "0001_add_b.sql"), "CREATE TABLE b (id INTEGER PRIMARY KEY);\n");

        var up = await _folder.RunAsync("up", "--database", Db.Url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Contains("applied 2 migration(s)", up.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_says_it_is_waiting_while_another_connection_holds_the_sqlite_write_lock()
    {
        _folder.Write("0001_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        Db.Execute("CREATE TABLE app (id INTEGER PRIMARY KEY)");

        using var app = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Db.Path, Pooling = false }.ConnectionString);
        app.Open();
        using (var begin = app.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO app (id) VALUES (1);";
            begin.ExecuteNonQuery();
        }

        await using var up = _folder.Start("up", "--database", Db.Url);
        await up.WaitForOutputAsync("waiting for the database lock", TimeSpan.FromSeconds(10));
        Assert.False(up.HasExited, "up gave up while another connection held the write lock");
        using (var commit = app.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        }

        var result = await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, LayoutFolder.Show(result));
        Assert.True(Db.TableExists("a"));
    }
}
