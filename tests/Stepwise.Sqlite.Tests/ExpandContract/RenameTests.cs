using Stepwise.Engines;

namespace Stepwise.Sqlite.Tests.ExpandContract;

public sealed class RenameColumnTests
{
    private const string Setup = """
        CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL DEFAULT '' COLLATE NOCASE, email TEXT);
        CREATE INDEX users_username ON users (username, email);
        CREATE UNIQUE INDEX users_username_lower ON users (lower(username)) WHERE email IS NOT NULL;
        INSERT INTO users (username, email) VALUES ('ann', 'a@x'), ('bob', NULL);
        """;

    private const string Plain = "ALTER TABLE users RENAME COLUMN username TO display_name";

    private static EcChange[] Changes() => [new EcRenameColumn("users", "username", "display_name")];

    [Fact]
    public async Task Old_and_new_release_read_and_write_during_expand_with_writes_visible_both_ways()
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var plan = await db.PlanAsync("v1", Changes());
        await db.ExpandAsync(plan);

        // SELECT: existing rows through both names
        Assert.Equal(["ann|ann", "bob|bob"], await db.QueryAsync("SELECT username, display_name FROM users ORDER BY id"));

        // INSERT: old release names username only, new release display_name only
        await db.ExecAsync("INSERT INTO users (username, email) VALUES ('carl', 'c@x')");
        await db.ExecAsync("INSERT INTO users (display_name, email) VALUES ('dora', 'd@x')");
        Assert.Equal(["carl"], await db.QueryAsync("SELECT display_name FROM users WHERE email = 'c@x'"));
        Assert.Equal(["dora"], await db.QueryAsync("SELECT username FROM users WHERE email = 'd@x'"));

        // UPDATE through either name shows through the other
        await db.ExecAsync("UPDATE users SET username = 'ann2' WHERE display_name = 'ann'");
        Assert.Equal(["ann2|ann2"], await db.QueryAsync("SELECT username, display_name FROM users WHERE id = 1"));
        await db.ExecAsync("UPDATE users SET display_name = 'bob2' WHERE username = 'bob'");
        Assert.Equal(["bob2|bob2"], await db.QueryAsync("SELECT username, display_name FROM users WHERE id = 2"));

        // an upsert of the old release and a write of the default value
        await db.ExecAsync("INSERT INTO users (id, username) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET username = excluded.username");
        Assert.Equal(["x|x"], await db.QueryAsync("SELECT username, display_name FROM users WHERE id = 1"));
        await db.ExecAsync("UPDATE users SET display_name = '' WHERE id = 1");
        Assert.Equal(["|"], await db.QueryAsync("SELECT username, display_name FROM users WHERE id = 1"));

        // DELETE through either name
        await db.ExecAsync("DELETE FROM users WHERE username = 'carl'");
        await db.ExecAsync("DELETE FROM users WHERE display_name = 'dora'");
        Assert.Equal(["2"], await db.QueryAsync("SELECT count(*) FROM users"));

        // the copied index serves the new name
        Assert.Contains(await db.QueryAsync("EXPLAIN QUERY PLAN SELECT * FROM users WHERE display_name = 'x'"), r => r.Contains("_sw_v1_users_username", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_contract_the_catalog_equals_the_plain_rename_and_rows_keep_their_values()
    {
        await EcScenario.ContractEqualsPlainAsync(Setup, Plain, Changes);

        await using var db = await EcDatabase.CreateAsync(Setup);
        var plan = await db.PlanAsync("v1", Changes());
        await db.ExpandAsync(plan);
        await db.ExecAsync("INSERT INTO users (username) VALUES ('carl')");
        await db.RunAsync(plan.Contract);
        Assert.Equal(["1|ann", "2|bob", "3|carl"], await db.QueryAsync("SELECT id, display_name FROM users ORDER BY id"));
        Assert.Empty(await db.QueryAsync("SELECT name FROM sqlite_schema WHERE name LIKE '_sw_%'"));
    }

    [Fact]
    public async Task Abort_after_every_prefix_of_expand_leaves_the_catalog_as_before() =>
        await EcScenario.AbortAfterEveryPrefixAsync(Setup, Changes);

    [Fact]
    public async Task A_without_rowid_table_syncs_through_its_primary_key()
    {
        const string setup = "CREATE TABLE tags (k TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID; INSERT INTO tags VALUES ('a', 'A');";
        EcChange[] Changes() => [new EcRenameColumn("tags", "label", "title")];
        await using (var db = await EcDatabase.CreateAsync(setup))
        {
            var plan = await db.PlanAsync("v1", Changes());
            await db.ExpandAsync(plan);
            await db.ExecAsync("INSERT INTO tags (k, label) VALUES ('b', 'B'); INSERT INTO tags (k, title) VALUES ('c', 'C'); UPDATE tags SET title = 'A2' WHERE k = 'a';");
            Assert.Equal(["a|A2|A2", "b|B|B", "c|C|C"], await db.QueryAsync("SELECT k, label, title FROM tags ORDER BY k"));
        }

        await EcScenario.ContractEqualsPlainAsync(setup, "ALTER TABLE tags RENAME COLUMN label TO title", Changes);
        await EcScenario.AbortAfterEveryPrefixAsync(setup, Changes);
    }

    [Fact]
    public async Task Two_renames_on_one_table_share_one_pair_of_triggers_without_recursion()
    {
        const string setup = "CREATE TABLE p (id INTEGER PRIMARY KEY, a INT, b INT); INSERT INTO p VALUES (1, 1, 2);";
        EcChange[] Changes() => [new EcRenameColumn("p", "a", "x"), new EcRenameColumn("p", "b", "y")];
        await using var db = await EcDatabase.CreateAsync(setup);
        var plan = await db.PlanAsync("v1", Changes());
        await db.ExpandAsync(plan);
        await db.ExecAsync("UPDATE p SET a = 10, y = 20 WHERE id = 1; INSERT INTO p (x, b) VALUES (5, 6);");
        Assert.Equal(["1|10|10|20|20", "2|5|5|6|6"], await db.QueryAsync("SELECT id, a, x, b, y FROM p ORDER BY id"));
        Assert.Equal(2, (await db.QueryAsync("SELECT name FROM sqlite_schema WHERE type = 'trigger'")).Count);
        await EcScenario.ContractEqualsPlainAsync(setup, "ALTER TABLE p RENAME COLUMN a TO x; ALTER TABLE p RENAME COLUMN b TO y;", Changes);
    }

    [Theory]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT NOT NULL)", "c", "NOT NULL without a DEFAULT")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)", "id", "primary key")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT UNIQUE)", "c", "UNIQUE constraint")]
    [InlineData("CREATE TABLE o (id INTEGER PRIMARY KEY); CREATE TABLE t (id INTEGER PRIMARY KEY, c INT REFERENCES o (id))", "c", "foreign key")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c INT CHECK (c > 0))", "c", "CHECK")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c INT, g INT GENERATED ALWAYS AS (c * 2))", "g", "generated column")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c INT); CREATE VIEW v AS SELECT c FROM t", "c", "view v")]
    [InlineData("CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT DEFAULT CURRENT_TIMESTAMP)", "c", "not a constant")]
    public async Task Refuses_a_rename_it_cannot_run_safely_naming_why(string setup, string column, string reason)
    {
        await using var db = await EcDatabase.CreateAsync(setup);
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", new EcRenameColumn("t", column, "n")));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refuses_when_recursive_triggers_is_on()
    {
        await using var db = await EcDatabase.CreateAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT)");
        await using var c = await db.OpenAsync();
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "PRAGMA recursive_triggers = ON";
            await cmd.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<EcPlanException>(() => SqliteExpandContract.PlanAsync(c, "v1", [new EcRenameColumn("t", "c", "d")], CancellationToken.None));
        Assert.Contains("recursive_triggers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bundled_sqlite_has_drop_column()
    {
        await using var db = await EcDatabase.CreateAsync("SELECT 1");
        var version = Version.Parse((await db.QueryAsync("SELECT sqlite_version()"))[0]);
        Assert.True(version >= new Version(3, 35, 0), $"bundled SQLite {version}");
    }
}

public sealed class RenameTableTests
{
    private const string Setup = """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, qty INT NOT NULL DEFAULT 1, note TEXT, created TEXT DEFAULT CURRENT_TIMESTAMP);
        CREATE INDEX orders_qty ON orders (qty);
        CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INT REFERENCES orders (id));
        INSERT INTO orders (id, qty, note) VALUES (1, 5, 'a'), (2, 7, 'b');
        """;

    private static EcChange[] Changes() => [new EcRenameTable("orders", "purchases")];

    [Fact]
    public async Task Old_name_is_a_writable_view_and_both_names_see_each_others_writes()
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var plan = await db.PlanAsync("v1", Changes());
        await db.ExpandAsync(plan);
        Assert.Equal(["1|5|a", "2|7|b"], await db.QueryAsync("SELECT id, qty, note FROM orders ORDER BY id"));

        await db.ExecAsync("INSERT INTO orders (note) VALUES ('old')"); // qty omitted: its DEFAULT applies through the view
        await db.ExecAsync("INSERT INTO purchases (qty, note) VALUES (9, 'new')");
        Assert.Equal(["3|1|old"], await db.QueryAsync("SELECT id, qty, note FROM purchases WHERE note = 'old'"));
        Assert.Equal(["0"], await db.QueryAsync("SELECT count(*) FROM purchases WHERE created IS NULL")); // CURRENT_TIMESTAMP default too
        Assert.Equal(["4|9|new"], await db.QueryAsync("SELECT id, qty, note FROM orders WHERE note = 'new'"));

        await db.ExecAsync("UPDATE orders SET qty = 50 WHERE id = 1");
        await db.ExecAsync("UPDATE purchases SET note = 'b2' WHERE id = 2");
        Assert.Equal(["1|50|a", "2|7|b2"], await db.QueryAsync("SELECT id, qty, note FROM purchases WHERE id <= 2 ORDER BY id"));
        Assert.Equal(["1|50|a", "2|7|b2"], await db.QueryAsync("SELECT id, qty, note FROM orders WHERE id <= 2 ORDER BY id"));

        await db.ExecAsync("DELETE FROM orders WHERE id = 3");
        await db.ExecAsync("DELETE FROM purchases WHERE id = 4");
        Assert.Equal(["2"], await db.QueryAsync("SELECT count(*) FROM orders"));
    }

    [Fact]
    public async Task Without_a_primary_key_the_view_updates_one_of_identical_rows()
    {
        const string setup = "CREATE TABLE log (a INT, b TEXT); INSERT INTO log VALUES (1, 'x'), (1, 'x'), (2, 'y');";
        await using var db = await EcDatabase.CreateAsync(setup);
        var plan = await db.PlanAsync("v1", new EcRenameTable("log", "events"));
        await db.ExpandAsync(plan);
        await db.ExecAsync("UPDATE log SET b = 'z' WHERE a = 2; DELETE FROM log WHERE a = 1 AND b = 'x';");
        Assert.Equal(["2|z"], await db.QueryAsync("SELECT a, b FROM events ORDER BY a"));
    }

    [Fact]
    public async Task After_contract_the_catalog_equals_the_plain_rename() =>
        await EcScenario.ContractEqualsPlainAsync(Setup, "ALTER TABLE orders RENAME TO purchases", Changes);

    [Fact]
    public async Task Abort_after_every_prefix_of_expand_leaves_the_catalog_as_before() =>
        await EcScenario.AbortAfterEveryPrefixAsync(Setup, Changes);

    [Fact]
    public async Task Refuses_a_new_name_that_exists()
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", new EcRenameTable("orders", "lines")));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }
}
