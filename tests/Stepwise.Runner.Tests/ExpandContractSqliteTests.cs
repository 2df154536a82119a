using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`-- stepwise:expand-contract` end to end through the real `stepwise` program on a SQLite file: up →
/// expanded (old and new release both work) → complete or abort, status, and a later migration held back.</summary>
public sealed class ExpandContractSqliteTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-ec-sqlite-");

    public ExpandContractSqliteTests()
    {
        _folder.Write("0001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL DEFAULT '', email TEXT);\n" +
            "CREATE INDEX users_username ON users (username);\n" +
            "INSERT INTO users (id, username, email) VALUES (1, 'ada', 'a@x'), (2, 'bob', 'b@x'), (3, 'cy', NULL);\n");
        _folder.Write("0002_rename.sql", "-- stepwise:expand-contract\nALTER TABLE users RENAME COLUMN username TO display_name;\n");
    }

    public void Dispose() => _folder.Dispose();

    private SqliteFile Db => new(Path.Combine(_folder.Root, "app.db"));

    private string Url => Db.Url;

    private async Task<string> RunOkAsync(params string[] args)
    {
        var r = await _folder.RunAsync([.. args, "--database", Url]);
        Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
        return r.StandardOutput + r.StandardError;
    }

    private async Task<string> StateAsync(string version)
    {
        var r = await _folder.RunAsync("status", "--database", Url, "--format", "json");
        using var doc = System.Text.Json.JsonDocument.Parse(r.StandardOutput);
        return doc.RootElement.GetProperty("migrations").EnumerateArray().Single(m => m.GetProperty("version").GetString() == version).GetProperty("state").GetString()!;
    }

    /// <summary>A table's columns with type, NOT NULL, default and key position, sorted (column order may differ).</summary>
    private static string Columns(SqliteFile db, string table) =>
        string.Join(",", db.Strings($"SELECT name || ':' || type || ':' || \"notnull\" || ':' || coalesce(dflt_value, '') || ':' || pk FROM pragma_table_xinfo('{table}')").Order(StringComparer.Ordinal));

    /// <summary>Everything a catalog compare needs: columns (sorted: order may differ), indexes, triggers, views.</summary>
    private string Catalog()
    {
        var parts = new List<string>();
        foreach (var table in new[] { "users" })
        {
            parts.Add(Columns(Db, table));
        }

        parts.Add(string.Join(",", Db.Strings("SELECT type || ':' || name || ':' || coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'stepwise%' AND name NOT LIKE 'sqlite%'").Order(StringComparer.Ordinal)));
        return string.Join("\n", parts);
    }

    [Fact]
    public async Task Up_expands_both_releases_work_and_complete_equals_the_plain_rename()
    {
        await RunOkAsync("up", "--to", "0001");
        var before = Catalog();
        var up = await RunOkAsync("up");
        Assert.Contains("expanded", up, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("expanded", await StateAsync("0002"));

        // existing rows were backfilled; both names read the same values
        Assert.Equal(0, Db.Count("SELECT count(*) FROM users WHERE display_name IS NOT username"));
        // the old release writes through the old name, the new release reads it through the new one, and back
        Db.Execute("INSERT INTO users (id, username) VALUES (10, 'old-release')");
        Assert.Equal("old-release", Db.Scalar("SELECT display_name FROM users WHERE id = 10"));
        Db.Execute("INSERT INTO users (id, display_name) VALUES (11, 'new-release')");
        Assert.Equal("new-release", Db.Scalar("SELECT username FROM users WHERE id = 11"));
        Db.Execute("UPDATE users SET username = 'ada2' WHERE id = 1");
        Assert.Equal("ada2", Db.Scalar("SELECT display_name FROM users WHERE id = 1"));
        Db.Execute("UPDATE users SET display_name = 'bob2' WHERE id = 2");
        Assert.Equal("bob2", Db.Scalar("SELECT username FROM users WHERE id = 2"));
        Db.Execute("DELETE FROM users WHERE id = 3");
        Assert.NotEqual(before, Catalog());

        var complete = await RunOkAsync("complete");
        Assert.Contains("cannot tell", complete, StringComparison.OrdinalIgnoreCase); // SQLite has no statement statistics: said, not hidden
        Assert.Equal("applied", await StateAsync("0002"));
        Assert.Equal(["1:ada2", "2:bob2", "10:old-release", "11:new-release"], Db.Strings("SELECT id || ':' || display_name FROM users ORDER BY id").ToArray());

        // the catalog equals the plain rename's on a twin database
        using var twin = new LayoutFolder("stepwise-ec-sqlite-twin-");
        var twinDb = new SqliteFile(Path.Combine(twin.Root, "app.db"));
        twinDb.Execute("CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL DEFAULT '', email TEXT)");
        twinDb.Execute("CREATE INDEX users_username ON users (username)");
        twinDb.Execute("ALTER TABLE users RENAME COLUMN username TO display_name");
        Assert.Equal(
            Columns(twinDb, "users"),
            Columns(Db, "users"));
        Assert.Equal(
            twinDb.Strings("SELECT name || ':' || tbl_name FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') AND name NOT LIKE 'sqlite%'").Order(StringComparer.Ordinal).ToArray(),
            Db.Strings("SELECT name || ':' || tbl_name FROM sqlite_schema WHERE type IN ('index', 'trigger', 'view') AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'stepwise%'").Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Abort_and_down_leave_the_schema_exactly_as_before_up()
    {
        await RunOkAsync("up", "--to", "0001");
        var before = Catalog();
        await RunOkAsync("up");
        Db.Execute("INSERT INTO users (id, display_name) VALUES (12, 'written while expanded')");
        await RunOkAsync("abort");
        Assert.Equal("pending", await StateAsync("0002"));
        Assert.Equal(before, Catalog());
        Assert.Equal("written while expanded", Db.Scalar("SELECT username FROM users WHERE id = 12"));

        // up again, then `down` of the expanded migration is abort
        await RunOkAsync("up");
        Assert.Equal("expanded", await StateAsync("0002"));
        await RunOkAsync("down");
        Assert.Equal("pending", await StateAsync("0002"));
        Assert.Equal(before, Catalog());
    }

    /// <summary>`up --batch-time` and `--nice-ratio` (the expand phase's backfill pacing) are checked before anything
    /// runs: a bad value is a usage error (exit 2) naming the option, with nothing applied; good ones expand.</summary>
    [Fact]
    public async Task Backfill_pacing_options_of_up_are_checked_before_anything_runs()
    {
        foreach (var bad in new[] { new[] { "--batch-time", "0s" }, ["--batch-time", "fast"], ["--batch-time", "2m"], ["--nice-ratio", "200"], ["--nice-ratio", "-1"] })
        {
            var r = await _folder.RunAsync(["up", .. bad, "--database", Url]);
            Assert.True(r.ExitCode == 2, $"{string.Join(' ', bad)}: {LayoutFolder.Show(r)}");
            Assert.Contains(bad[0], r.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", r.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(Db.Path) && Db.Count("SELECT count(*) FROM sqlite_schema WHERE name = 'users'") > 0, "a refused `up` created the table");
        }

        await RunOkAsync("up", "--batch-time", "20ms", "--nice-ratio", "1");
        Assert.Equal("expanded", await StateAsync("0002"));
        Assert.Equal(0, Db.Count("SELECT count(*) FROM users WHERE display_name IS NOT username"));
    }

    [Fact]
    public async Task A_later_migration_on_the_expanded_table_waits_for_complete()
    {
        _folder.Write("0003_more.sql", "ALTER TABLE users ADD COLUMN age INTEGER;\n");
        var r = await _folder.RunAsync("up", "--database", Url);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("0002", r.StandardOutput + r.StandardError, StringComparison.Ordinal);
        Assert.Contains("complete", r.StandardOutput + r.StandardError, StringComparison.Ordinal);
        Assert.Equal("expanded", await StateAsync("0002"));
        Assert.Equal("pending", await StateAsync("0003"));
        Assert.Equal(0, Db.Count("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'age'"));

        await RunOkAsync("complete", "0002");
        await RunOkAsync("up");
        Assert.Equal("applied", await StateAsync("0003"));
    }
}
