namespace Stepwise.Engines.Conformance;

/// <summary>The engine classifies failures (the runner never reads error codes), and a transactional unit that
/// fails leaves nothing behind: not its statements, not its journal change.</summary>
public abstract class ErrorConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ExecutionLimits Limits = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

    private async Task<EngineException> FailAsync(TestDatabase db, IEngine engine, string statement)
    {
        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteAsync(statement, Limits, None));
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.False(string.IsNullOrEmpty(ex.SqlState), $"no SQLSTATE / error number for: {ex.Message}");
        Assert.Equal(0, ex.StatementIndex);

        // the session stays usable after a failed statement
        await engine.Executor.ExecuteAsync("CREATE TABLE IF NOT EXISTS still_usable (id INT)", Limits, None);
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM still_usable"));
        return ex;
    }

    [Fact]
    public async Task Creating_what_exists_is_already_exists()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Creating_what_exists_is_already_exists));
        var engine = await db.ConnectAsync();
        await engine.Executor.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v INT)", Limits, None);
        await engine.Executor.ExecuteAsync("CREATE INDEX t_v ON t (v)", Limits, None);

        Expect.Kind(ErrorKind.AlreadyExists, await FailAsync(db, engine, "CREATE TABLE t (id INT PRIMARY KEY)"));
        Expect.Kind(ErrorKind.AlreadyExists, await FailAsync(db, engine, "ALTER TABLE t ADD COLUMN v INT"));
        Expect.Kind(ErrorKind.AlreadyExists, await FailAsync(db, engine, "CREATE INDEX t_v ON t (v)"));
    }

    [Fact]
    public async Task Dropping_what_is_missing_is_does_not_exist()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(Dropping_what_is_missing_is_does_not_exist));
        var engine = await db.ConnectAsync();
        await engine.Executor.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, v INT)", Limits, None);

        Expect.Kind(ErrorKind.DoesNotExist, await FailAsync(db, engine, "DROP TABLE missing"));
        Expect.Kind(ErrorKind.DoesNotExist, await FailAsync(db, engine, "ALTER TABLE t DROP COLUMN missing"));
        Expect.Kind(ErrorKind.DoesNotExist, await FailAsync(db, engine, target.DropIndex("missing_idx", "t")));
    }

    [Fact]
    public async Task A_syntax_error_or_a_constraint_violation_is_a_statement_error()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_syntax_error_or_a_constraint_violation_is_a_statement_error));
        var engine = await db.ConnectAsync();
        await engine.Executor.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)", Limits, None);
        await engine.Executor.ExecuteAsync("INSERT INTO t VALUES (1)", Limits, None);

        Expect.Kind(ErrorKind.Statement, await FailAsync(db, engine, "CREAT TABLE oops (id INT)"));
        Expect.Kind(ErrorKind.Statement, await FailAsync(db, engine, "INSERT INTO t VALUES (1)"));
    }

    [Fact]
    public async Task A_transaction_commits_its_statements_and_journal_change_together()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_transaction_commits_its_statements_and_journal_change_together));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        await engine.Executor.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)", Limits, None);

        await engine.Executor.ExecuteInTransactionAsync(["INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)"], JournalChange.Record(JournalConformance.Full("1")), Limits, None);
        Assert.Equal(2, await db.CountAsync("SELECT count(*) FROM t"));
        Assert.Equal(JournalConformance.Full("1"), (await engine.Journal.ReadAsync(None)).Single() with { AppliedAt = default });

        await engine.Executor.ExecuteInTransactionAsync(["DELETE FROM t WHERE id = 2"], JournalChange.Remove("1"), Limits, None);
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM t"));
        Assert.Empty(await engine.Journal.ReadAsync(None));
    }

    [Fact]
    public async Task A_transaction_failing_at_its_second_statement_names_index_1_and_commits_nothing()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_transaction_failing_at_its_second_statement_names_index_1_and_commits_nothing));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        await engine.Executor.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)", Limits, None);
        await engine.Journal.WriteAsync(JournalConformance.Bare("0"), None);

        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
            ["INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (2)"], JournalChange.Record(JournalConformance.Bare("1")), Limits, None));
        Assert.Equal(1, ex.StatementIndex);
        Expect.Kind(ErrorKind.Statement, ex);
        Assert.False(string.IsNullOrEmpty(ex.SqlState));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM t"));
        Assert.Equal(["0"], (await engine.Journal.ReadAsync(None)).Select(r => r.Version));

        // a failing removal keeps the row it would have removed
        await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
            ["INSERT INTO t VALUES (5)", "INSERT INTO missing VALUES (1)"], JournalChange.Remove("0"), Limits, None));
        Assert.Equal(["0"], (await engine.Journal.ReadAsync(None)).Select(r => r.Version));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM t"));

        // and the session goes on
        await engine.Executor.ExecuteInTransactionAsync(["INSERT INTO t VALUES (1)"], JournalChange.Record(JournalConformance.Bare("1")), Limits, None);
        Assert.Equal(["0", "1"], (await engine.Journal.ReadAsync(None)).Select(r => r.Version));
    }
}
