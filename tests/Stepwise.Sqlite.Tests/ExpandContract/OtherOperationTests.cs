using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Sqlite.Tests.ExpandContract;

public sealed class AddRequiredColumnTests
{
    private const string Setup = "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES ('a');";

    private static EcChange[] Changes() => [new EcAddRequiredColumn("items", "status", "TEXT", "'new'", "'new'")];

    [Fact]
    public async Task Both_releases_write_and_existing_rows_read_the_default()
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var plan = await db.PlanAsync("v1", Changes());
        await db.ExpandAsync(plan);
        await db.ExecAsync("INSERT INTO items (name) VALUES ('old'); INSERT INTO items (name, status) VALUES ('new', 'done');");
        Assert.Equal(["a|new", "old|new", "new|done"], await db.QueryAsync("SELECT name, status FROM items ORDER BY id"));
        await db.ExecAsync("UPDATE items SET name = 'a2' WHERE id = 1; DELETE FROM items WHERE name = 'old';");
        Assert.Equal(["a2|new", "new|done"], await db.QueryAsync("SELECT name, status FROM items ORDER BY id"));
    }

    [Fact]
    public async Task After_contract_the_catalog_equals_the_plain_add() =>
        await EcScenario.ContractEqualsPlainAsync(Setup, "ALTER TABLE items ADD COLUMN status TEXT NOT NULL DEFAULT 'new'", Changes);

    [Fact]
    public async Task Abort_after_every_prefix_of_expand_leaves_the_catalog_as_before() =>
        await EcScenario.AbortAfterEveryPrefixAsync(Setup, Changes);

    [Theory]
    [InlineData(null, "0", "without a non-NULL DEFAULT")]
    [InlineData("'new'", "'other'", "cannot be honoured")]
    [InlineData("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", "not a constant")]
    public async Task Refuses_what_sqlite_cannot_add_naming_why(string? @default, string fill, string reason)
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", new EcAddRequiredColumn("items", "status", "TEXT", fill, @default)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}

public sealed class DropTests
{
    private const string Setup = """
        CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, nick TEXT, age INT NOT NULL DEFAULT 0);
        CREATE TABLE old_stuff (id INTEGER PRIMARY KEY, x TEXT);
        INSERT INTO people (name, nick) VALUES ('ann', 'a');
        """;

    [Theory]
    [InlineData("nick")]
    [InlineData("age")]
    public async Task Drop_column_keeps_it_for_the_old_release_and_lets_the_new_release_omit_it(string column)
    {
        EcChange[] Changes() => [new EcDropColumn("people", column)];
        await using (var db = await EcDatabase.CreateAsync(Setup))
        {
            var plan = await db.PlanAsync("v1", Changes());
            Assert.Contains(plan.OldNames, n => n.Column == column);
            await db.ExpandAsync(plan);
            await db.ExecAsync($"INSERT INTO people (name) VALUES ('new'); INSERT INTO people (name, {column}) VALUES ('old', 3); UPDATE people SET {column} = 4 WHERE name = 'ann';");
            Assert.Equal(["ann|4", "old|3"], await db.QueryAsync($"SELECT name, {column} FROM people WHERE name <> 'new' ORDER BY id"));
            await db.ExecAsync("DELETE FROM people WHERE name = 'new'");
        }

        await EcScenario.ContractEqualsPlainAsync(Setup, $"ALTER TABLE people DROP COLUMN {column}", Changes);
        await EcScenario.AbortAfterEveryPrefixAsync(Setup, Changes);
    }

    [Fact]
    public async Task Drop_column_refuses_a_not_null_column_without_default_naming_why()
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", new EcDropColumn("people", "name")));
        Assert.Contains("NOT NULL without a DEFAULT", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drop_column_of_an_indexed_column_needs_the_index_dropped_first_in_the_file()
    {
        const string setup = "CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT); CREATE INDEX t_c ON t (c);";
        await using (var db = await EcDatabase.CreateAsync(setup))
        {
            var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", new EcDropColumn("t", "c")));
            Assert.Contains("index t_c", ex.Message, StringComparison.Ordinal);
        }

        EcChange[] Changes() => [EcDatabase.Statement("DROP INDEX t_c"), new EcDropColumn("t", "c")];
        await EcScenario.ContractEqualsPlainAsync(setup, "DROP INDEX t_c; ALTER TABLE t DROP COLUMN c;", Changes);
        await EcScenario.AbortAfterEveryPrefixAsync(setup, Changes);
    }

    [Fact]
    public async Task Drop_table_waits_for_contract()
    {
        EcChange[] Changes() => [new EcDropTable("old_stuff")];
        await using (var db = await EcDatabase.CreateAsync(Setup))
        {
            var plan = await db.PlanAsync("v1", Changes());
            await db.ExpandAsync(plan);
            await db.ExecAsync("INSERT INTO old_stuff (x) VALUES ('still there')");
            Assert.Equal(["still there"], await db.QueryAsync("SELECT x FROM old_stuff"));
        }

        await EcScenario.ContractEqualsPlainAsync(Setup, "DROP TABLE old_stuff", Changes);
        await EcScenario.AbortAfterEveryPrefixAsync(Setup, Changes);
    }
}

public sealed class StatementTests
{
    private const string Setup = "CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT, d INT);";

    [Fact]
    public async Task Other_statements_run_in_expand_and_abort_undoes_them()
    {
        EcChange[] Changes() =>
        [
            EcDatabase.Statement("CREATE INDEX t_c ON t (c)"),
            EcDatabase.Statement("ALTER TABLE t ADD COLUMN e TEXT DEFAULT 'x'"),
            EcDatabase.Statement("CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INT REFERENCES t (id))"),
            EcDatabase.Statement("CREATE VIEW tv AS SELECT id, c FROM t"),
            EcDatabase.Statement("CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN SELECT 1; END"),
        ];
        const string plain = """
            CREATE INDEX t_c ON t (c); ALTER TABLE t ADD COLUMN e TEXT DEFAULT 'x';
            CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INT REFERENCES t (id)); CREATE VIEW tv AS SELECT id, c FROM t;
            CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN SELECT 1; END;
            """;
        await EcScenario.ContractEqualsPlainAsync(Setup, plain, Changes);
        await EcScenario.AbortAfterEveryPrefixAsync(Setup, Changes);
    }

    [Theory]
    [InlineData("ALTER TABLE t ALTER COLUMN c TYPE int", "no ALTER COLUMN … TYPE")]
    [InlineData("ALTER TABLE t ALTER COLUMN c SET NOT NULL", "no ALTER COLUMN … SET NOT NULL")]
    public async Task Type_change_and_set_not_null_do_not_exist_in_sqlite(string what, string reason)
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        EcChange change = what.Contains("TYPE", StringComparison.Ordinal) ? new EcChangeColumnType("t", "c", "int", null) : new EcSetNotNull("t", "c");
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", change));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);

        // and SQLite itself has no such statement
        var sqlite = await Assert.ThrowsAsync<SqliteException>(() => db.ExecAsync(what));
        Assert.Contains("syntax error", sqlite.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE t SET c = 'x'", "changes data")]
    [InlineData("DELETE FROM t", "changes data")]
    [InlineData("BEGIN", "transactions of its own")]
    [InlineData("VACUUM", "no known undo")]
    public async Task Refuses_statements_abort_could_not_undo(string sql, string reason)
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => db.PlanAsync("v1", EcDatabase.Statement(sql)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_engine_executor_honours_step_guards()
    {
        await using var db = await EcDatabase.CreateAsync(Setup);
        Assert.True(Stepwise.Engines.DatabaseTarget.TryParse("sqlite:" + db.FilePath, out var target, out _));
        await using var engine = new SqliteEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        var plan = await engine.Ability<IExpandContractSql>()!.PlanAsync("v1", [new EcDropColumn("t", "d")], CancellationToken.None);
        var limits = new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        for (var run = 0; run < 2; run++)
        {
            foreach (var statement in plan.Contract.SelectMany(s => s.Statements))
            {
                await engine.Executor.ExecuteAsync(statement, limits, CancellationToken.None);
            }
        }

        Assert.Equal(["id", "c"], await db.QueryAsync("SELECT name FROM pragma_table_info('t') ORDER BY cid"));
    }
}
