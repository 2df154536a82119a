using System.Globalization;
using Microsoft.Data.Sqlite;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`stepwise` end to end on a SQLite file: every command, concurrent runners, transactional failure.</summary>
public sealed class SqliteRunnerTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-sqlite-");

    public void Dispose() => _folder.Dispose();

    private string DbPath => Path.Combine(_folder.Root, "app.db");

    private string Url => "sqlite:" + DbPath;

    private SqliteFile Db => new(DbPath);

    private object? Scalar(string sql) => Db.Scalar(sql);

    private long Count(string sql) => Db.Count(sql);

    private bool TableExists(string name) => Db.TableExists(name);

    private async Task<string> StatesAsync()
    {
        var r = await _folder.RunAsync("status", "--database", Url, "--format", "json");
        Assert.True(r.ExitCode is 0 or 1, LayoutFolder.Show(r));
        using var doc = System.Text.Json.JsonDocument.Parse(r.StandardOutput);
        return string.Join(' ', doc.RootElement.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("version").GetString() + "=" + m.GetProperty("state").GetString()));
    }

    private void WriteThree()
    {
        _folder.Write("0001_people.up.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n");
        _folder.Write("0001_people.down.sql", "DROP TABLE people;\n");
        _folder.Write("0002_seed.up.sql", "INSERT INTO people (id, name) VALUES (1, 'ada');\n");
        _folder.Write("0002_seed.down.sql", "DELETE FROM people WHERE id = 1;\n");
        _folder.Write("0003_pets.up.sql", "CREATE TABLE pets (id INTEGER PRIMARY KEY, owner INTEGER REFERENCES people (id));\nCREATE INDEX pets_owner ON pets (owner);\n");
        _folder.Write("0003_pets.down.sql", "DROP TABLE pets;\n");
    }

    [Fact]
    public async Task Up_status_down_validate_repair_and_force_work_end_to_end()
    {
        WriteThree();
        var up = await _folder.RunAsync("up", "--database", Url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Contains("applied 3 migration(s)", up.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("0001=applied 0002=applied 0003=applied", await StatesAsync());
        Assert.Equal(1, Count("SELECT count(*) FROM people"));

        var again = await _folder.RunAsync("up", "--database", Url);
        Assert.True(again.ExitCode == 0, LayoutFolder.Show(again));
        Assert.Contains("nothing to apply", again.StandardOutput, StringComparison.Ordinal);

        // down: one step, then to a version
        var down = await _folder.RunAsync("down", "--database", Url);
        Assert.True(down.ExitCode == 0, LayoutFolder.Show(down));
        Assert.False(TableExists("pets"));
        Assert.Equal("0001=applied 0002=applied 0003=pending", await StatesAsync());
        var downTo = await _folder.RunAsync("down", "--to", "0001", "--database", Url);
        Assert.True(downTo.ExitCode == 0, LayoutFolder.Show(downTo));
        Assert.Equal(0, Count("SELECT count(*) FROM people"));
        Assert.Equal("0001=applied 0002=pending 0003=pending", await StatesAsync());

        // up --to stops at the version
        var upTo = await _folder.RunAsync("up", "--to", "0002", "--database", Url);
        Assert.True(upTo.ExitCode == 0, LayoutFolder.Show(upTo));
        Assert.Equal("0001=applied 0002=applied 0003=pending", await StatesAsync());
        Assert.True((await _folder.RunAsync("up", "--database", Url)).ExitCode == 0);

        var validate = await _folder.RunAsync("validate", "--database", Url);
        Assert.True(validate.ExitCode == 0, LayoutFolder.Show(validate));

        // a changed applied file: reported by validate/status, blocks up, accepted by repair
        _folder.Write("0002_seed.up.sql", "INSERT INTO people (id, name) VALUES (1, 'ada lovelace');\n");
        var changed = await _folder.RunAsync("validate", "--database", Url);
        Assert.True(changed.ExitCode == 1, LayoutFolder.Show(changed));
        Assert.Contains("0002 seed: applied, but its file changed", changed.StandardError, StringComparison.Ordinal);
        Assert.Equal("0001=applied 0002=changed 0003=applied", await StatesAsync());
        _folder.Write("0004_later.up.sql", "CREATE TABLE later (id INTEGER PRIMARY KEY);\n");
        var blocked = await _folder.RunAsync("up", "--database", Url);
        Assert.True(blocked.ExitCode == 1, LayoutFolder.Show(blocked));
        Assert.Contains("0002 seed was applied, but its file changed", blocked.StandardError, StringComparison.Ordinal);
        Assert.False(TableExists("later"));
        var repair = await _folder.RunAsync("repair", "--database", Url);
        Assert.True(repair.ExitCode == 0, LayoutFolder.Show(repair));
        Assert.Contains("accepted the changed file's checksum", repair.StandardOutput, StringComparison.Ordinal);
        Assert.True((await _folder.RunAsync("up", "--database", Url)).ExitCode == 0);
        Assert.True(TableExists("later"));
        Assert.Equal("0001=applied 0002=applied 0003=applied 0004=applied", await StatesAsync());

        // force: set the recorded version without running SQL
        var force = await _folder.RunAsync("force", "2", "--database", Url);
        Assert.True(force.ExitCode == 0, LayoutFolder.Show(force));
        Assert.Contains("no SQL was run", force.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("0001=applied 0002=applied 0003=pending 0004=pending", await StatesAsync());
        Assert.True(TableExists("pets"));
        var forceUp = await _folder.RunAsync("force", "4", "--database", Url);
        Assert.True(forceUp.ExitCode == 0, LayoutFolder.Show(forceUp));
        Assert.Equal("0001=applied 0002=applied 0003=applied 0004=applied", await StatesAsync());
        var forceUnknown = await _folder.RunAsync("force", "9", "--database", Url);
        Assert.True(forceUnknown.ExitCode == 2, LayoutFolder.Show(forceUnknown));

        // a missing file for an applied version
        _folder.Delete("0004_later.up.sql");
        var missing = await _folder.RunAsync("validate", "--database", Url);
        Assert.True(missing.ExitCode == 1, LayoutFolder.Show(missing));
        Assert.Contains("0004", missing.StandardError, StringComparison.Ordinal);
        Assert.Contains("no file has this version", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_concurrent_up_processes_apply_each_migration_once()
    {
        _folder.Write("0001_log.up.sql", "CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL);\n");
        for (var i = 2; i <= 12; i++)
        {
            // the recursive count keeps each migration busy for a while, so the runs overlap
            _folder.Write($"{i:0000}_row{i}.up.sql", $"INSERT INTO log (note) VALUES ('migration {i}');\nCREATE TABLE t{i} (id INTEGER PRIMARY KEY);\nSELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT x FROM c);\n");
        }

        for (var round = 0; round < 2; round++)
        {
            File.Delete(DbPath);
            await using var a = _folder.Start("up", "--database", Url);
            await using var b = _folder.Start("up", "--database", Url);
            var ra = await a.WaitForExitAsync(TimeSpan.FromSeconds(60));
            var rb = await b.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(ra.ExitCode == 0, LayoutFolder.Show(ra));
            Assert.True(rb.ExitCode == 0, LayoutFolder.Show(rb));
            Assert.Equal(11, Count("SELECT count(*) FROM log"));
            Assert.Equal(11, Count("SELECT count(DISTINCT note) FROM log"));
            Assert.Equal(12, Count("SELECT count(*) FROM stepwise_migrations WHERE state = 'applied'"));
        }
    }

    [Fact]
    public async Task A_failing_statement_in_a_transactional_migration_leaves_nothing_applied()
    {
        _folder.Write("0001_base.up.sql", "CREATE TABLE base (id INTEGER PRIMARY KEY);\n");
        _folder.Write("0002_half.up.sql", "CREATE TABLE half (id INTEGER PRIMARY KEY);\nINSERT INTO base (id) VALUES (1);\nINSERT INTO no_such_table (id) VALUES (1);\nCREATE TABLE after_failure (id INTEGER PRIMARY KEY);\n");

        var up = await _folder.RunAsync("up", "--database", Url);
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("statement 3", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("no_such_table", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("rolled back", up.StandardError, StringComparison.Ordinal);

        Assert.True(TableExists("base"));
        Assert.False(TableExists("half"));
        Assert.False(TableExists("after_failure"));
        Assert.Equal(0, Count("SELECT count(*) FROM base"));
        Assert.Equal("failed", Scalar("SELECT state FROM stepwise_migrations WHERE version = '0002'"));
        Assert.Equal(0, Count("SELECT statements_done FROM stepwise_migrations WHERE version = '0002'"));
        Assert.Equal(2, Count("SELECT failed_statement_index FROM stepwise_migrations WHERE version = '0002'"));

        // fixed and repaired, the whole migration runs from its first statement
        _folder.Write("0002_half.up.sql", "CREATE TABLE half (id INTEGER PRIMARY KEY);\nINSERT INTO base (id) VALUES (1);\nCREATE TABLE after_failure (id INTEGER PRIMARY KEY);\n");
        var repair = await _folder.RunAsync("repair", "--database", Url);
        Assert.True(repair.ExitCode == 0, LayoutFolder.Show(repair));
        Assert.Contains("pending again", repair.StandardOutput, StringComparison.Ordinal);
        var again = await _folder.RunAsync("up", "--database", Url);
        Assert.True(again.ExitCode == 0, LayoutFolder.Show(again));
        Assert.True(TableExists("half"));
        Assert.True(TableExists("after_failure"));
        Assert.Equal(1, Count("SELECT count(*) FROM base"));
    }
}
