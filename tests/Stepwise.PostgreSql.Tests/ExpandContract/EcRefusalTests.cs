using Stepwise.Engines;
using Stepwise.PostgreSql.ExpandContract;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>What expand/contract refuses on PostgreSQL, and why; and the edges of the plans.</summary>
[Collection("postgres")]
public sealed class EcRefusalTests(PostgresFixture fixture)
{
    private readonly PostgresTarget _target = new(fixture);

    private async Task<string> RefusedAsync(string test, string[] setup, params EcChange[] changes)
    {
        await using var db = await _target.CreateDatabaseAsync(test);
        await db.ExecuteAsync(setup);
        var ex = await Assert.ThrowsAsync<EcPlanException>(() => EcHarness.PlanAsync(db, "v9", changes));
        return ex.Message;
    }

    [Fact]
    public async Task Columns_that_cannot_live_on_two_columns_are_refused_with_the_reason()
    {
        string[] setup =
        [
            "CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE)",
            "CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p (id), pcode text REFERENCES p (code), x int, y int, g int GENERATED ALWAYS AS (x * 2) STORED)",
            "CREATE VIEW cv AS SELECT id, y FROM c",
            "CREATE TABLE k (id int PRIMARY KEY, lo int, hi int, CONSTRAINT lohi CHECK (lo < hi))",
        ];
        await using var db = await _target.CreateDatabaseAsync(nameof(Columns_that_cannot_live_on_two_columns_are_refused_with_the_reason));
        await db.ExecuteAsync(setup);
        async Task<string> Refused(EcChange change) => (await Assert.ThrowsAsync<EcPlanException>(() => EcHarness.PlanAsync(db, "v9", change))).Message;

        Assert.Contains("primary key", await Refused(new EcRenameColumn("k", "id", "kid")), StringComparison.Ordinal);
        Assert.Contains("foreign key c_pid_fkey", await Refused(new EcRenameColumn("c", "pid", "parent")), StringComparison.Ordinal);
        Assert.Contains("referenced by the foreign key c_pcode_fkey of c", await Refused(new EcChangeColumnType("p", "code", "varchar(10)", null)), StringComparison.Ordinal);
        Assert.Contains("view cv", await Refused(new EcRenameColumn("c", "y", "yy")), StringComparison.Ordinal);
        Assert.Contains("generated column", await Refused(new EcRenameColumn("c", "g", "gg")), StringComparison.Ordinal);
        Assert.Contains("generated column g", await Refused(new EcChangeColumnType("c", "x", "bigint", null)), StringComparison.Ordinal);
        Assert.Contains("CHECK constraint lohi", await Refused(new EcRenameColumn("k", "lo", "low")), StringComparison.Ordinal);
        Assert.Contains("view cv", await Refused(new EcDropColumn("c", "y")), StringComparison.Ordinal);
        Assert.Contains("does not exist", await Refused(new EcRenameColumn("c", "nope", "n2")), StringComparison.Ordinal);
        Assert.Contains("does not exist", await Refused(new EcDropTable("nope")), StringComparison.Ordinal);
        Assert.Contains("foreign keys of c", await Refused(new EcDropTable("p")), StringComparison.Ordinal);
        Assert.Contains("already exists", await Refused(new EcRenameColumn("c", "x", "y")), StringComparison.Ordinal);
        Assert.Contains("changed twice", (await Assert.ThrowsAsync<EcPlanException>(() => EcHarness.PlanAsync(db, "v9", new EcSetNotNull("c", "x"), new EcDropColumn("c", "x")))).Message, StringComparison.Ordinal);
        Assert.Contains("put the rename in a migration of its own", (await Assert.ThrowsAsync<EcPlanException>(() => EcHarness.PlanAsync(db, "v9", new EcRenameTable("c", "c2"), new EcSetNotNull("c", "x")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statements_without_a_safe_form_are_refused_with_the_reason()
    {
        await using var db = await _target.CreateDatabaseAsync(nameof(Statements_without_a_safe_form_are_refused_with_the_reason));
        await db.ExecuteAsync("CREATE TABLE t (id int, a text)");
        async Task<string> Refused(string sql) => (await Assert.ThrowsAsync<EcPlanException>(() => EcHarness.PlanAsync(db, "v9", EcHarness.Statement("t", sql)))).Message;

        Assert.Contains("exclusive lock", await Refused("ALTER TABLE t ADD PRIMARY KEY (id)"), StringComparison.Ordinal);
        Assert.Contains("volatile DEFAULT", await Refused("ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid()"), StringComparison.Ordinal);
        Assert.Contains("NOT NULL without a DEFAULT", await Refused("ALTER TABLE t ADD COLUMN n int NOT NULL"), StringComparison.Ordinal);
        Assert.Contains("inline constraint", await Refused("ALTER TABLE t ADD COLUMN n int UNIQUE"), StringComparison.Ordinal);
        Assert.Contains("give it a name", await Refused("CREATE INDEX ON t (lower(a))"), StringComparison.Ordinal);
        Assert.Contains("plain migration", await Refused("ALTER TABLE t ALTER COLUMN a TYPE varchar(5)"), StringComparison.Ordinal);
        Assert.Contains("plain migration", await Refused("VACUUM t"), StringComparison.Ordinal);
        Assert.Contains("plain migration", await Refused("UPDATE t SET a = 'x'"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_of_a_dropped_column_names_the_rows_written_without_it()
    {
        await using var db = await _target.CreateDatabaseAsync(nameof(Abort_of_a_dropped_column_names_the_rows_written_without_it));
        await db.ExecuteAsync("CREATE TABLE d (id int PRIMARY KEY, gone text NOT NULL)", "INSERT INTO d VALUES (1, 'g')");
        var plan = await EcHarness.PlanAsync(db, "v9", new EcDropColumn("d", "gone"));
        await EcHarness.RunAsync(db, plan.Expand);
        await db.ExecuteAsync("INSERT INTO d (id) VALUES (2)", "INSERT INTO d (id) VALUES (3)");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => EcHarness.RunAsync(db, plan.Abort));
        Assert.Contains("2 rows written since expand hold NULL", ex.Message, StringComparison.Ordinal);
        await db.ExecuteAsync("UPDATE d SET gone = 'set' WHERE gone IS NULL");
        await EcHarness.RunAsync(db, plan.Abort);
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM pg_attribute WHERE attrelid = 'd'::regclass AND attname = 'gone' AND attnotnull"));
    }

    [Fact]
    public Task Rename_of_a_serial_column_hands_its_sequence_over() => EcScenarioRunner.RunAsync(_target, new EcScenario(
        "v10",
        ["CREATE TABLE q (id int PRIMARY KEY, n serial)", "CREATE INDEX q_n_idx ON q (n)", "INSERT INTO q (id) VALUES (1)"],
        [new EcRenameColumn("q", "n", "m")],
        ["ALTER TABLE q RENAME COLUMN n TO m"],
        [new("INSERT INTO q (id) VALUES (2)"), new("SELECT m FROM q WHERE id = 2", "2"), new("SELECT n FROM q WHERE id = 2", "2")],
        ["q"]), nameof(Rename_of_a_serial_column_hands_its_sequence_over));

    [Fact]
    public void Column_references_are_rewritten_by_tokens_not_text()
    {
        var rewritten = EcSql.RewriteColumns("lower(lower) || \"lower\"::text || t.lower || 'lower' || x::lower -- lower", n => n == "lower" ? "NEW.\"lower\"" : null);
        Assert.Equal("lower(NEW.\"lower\") || NEW.\"lower\"::text || t.lower || 'lower' || x::lower -- lower", rewritten);
    }

    [Fact]
    public void Long_names_are_cut_to_63_bytes_with_a_hash()
    {
        var a = EcSql.Name("20260101120000_a_very_long_migration_name", "a_very_long_column_name_that_goes_on");
        var b = EcSql.Name("20260101120000_a_very_long_migration_name", "a_very_long_column_name_that_goes_on_and_on");
        Assert.Equal(63, a.Length);
        Assert.NotEqual(a, b);
        Assert.Equal("_sw_v1_c", EcSql.Name("v1", "c"));
    }
}
