using System.Diagnostics;

namespace Stepwise.Engines.Conformance;

/// <summary>Running statements: a lock wait ends at the lock timeout as <see cref="ErrorKind.LockTimeout"/>, a long
/// statement at the statement timeout as <see cref="ErrorKind.StatementTimeout"/>, and a broken session shows as
/// <see cref="ErrorKind.ConnectionLost"/>.</summary>
public abstract class ExecutionConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The engine under test's target.</summary>
    protected ConformanceTarget Target => target;

    private ExecutionLimits ShortLockWait => new(target.LockTimeoutGranularity, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task A_statement_waiting_on_a_conflicting_lock_fails_as_a_lock_timeout()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_statement_waiting_on_a_conflicting_lock_fails_as_a_lock_timeout));
        await db.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)");
        var engine = await db.ConnectAsync();
        await using var holder = await db.OpenAsync();
        foreach (var sql in target.HoldConflictingLock("t"))
        {
            await RawSql.ExecuteAsync(holder, sql);
        }

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteAsync("ALTER TABLE t ADD COLUMN c2 INT", ShortLockWait, None));
        Expect.Kind(ErrorKind.LockTimeout, ex);
        Assert.NotNull(ex.SqlState);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the lock wait lasted {clock.Elapsed}");

        // once the holder is gone the same statement goes through on the same session
        await holder.CloseAsync();
        await engine.Executor.ExecuteAsync("ALTER TABLE t ADD COLUMN c2 INT", ShortLockWait, None);
        Assert.Contains("c2", await db.ColumnsAsync("t"));
    }

    [Fact]
    public virtual async Task A_transaction_waiting_on_a_conflicting_lock_fails_as_a_lock_timeout_at_its_statement()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_transaction_waiting_on_a_conflicting_lock_fails_as_a_lock_timeout_at_its_statement));
        await db.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE u (id INT PRIMARY KEY)");
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        await using var holder = await db.OpenAsync();
        foreach (var sql in target.HoldConflictingLock("t"))
        {
            await RawSql.ExecuteAsync(holder, sql);
        }

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
            ["SELECT count(*) FROM u", "ALTER TABLE t ADD COLUMN c2 INT"], JournalChange.Record(JournalConformance.Bare("1")), ShortLockWait, None));
        Expect.Kind(ErrorKind.LockTimeout, ex);
        Assert.Equal(1, ex.StatementIndex);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the lock wait lasted {clock.Elapsed}");

        await holder.CloseAsync();
        Assert.Empty(await engine.Journal.ReadAsync(None));
    }

    [Fact]
    public virtual async Task A_statement_running_past_the_statement_timeout_fails_as_a_statement_timeout()
    {
        var sleep = target.Sleep(TimeSpan.FromSeconds(10));
        Assert.NotNull(sleep); // an engine without statement timeouts overrides this case with a skip reason
        await using var db = await target.CreateDatabaseAsync(nameof(A_statement_running_past_the_statement_timeout_fails_as_a_statement_timeout));
        var engine = await db.ConnectAsync();

        var clock = Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteAsync(sleep, new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500)), None));
        Expect.Kind(ErrorKind.StatementTimeout, ex);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));

        // a zero statement timeout means none: the next statement is not cut short by the last one's limit
        await engine.Executor.ExecuteAsync(target.Sleep(TimeSpan.FromSeconds(0.6))!, new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.Zero), None);
    }

    [Fact]
    public virtual async Task A_session_ended_by_the_server_fails_as_connection_lost()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_session_ended_by_the_server_fails_as_connection_lost));
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        Assert.True(await engine.Lock.TryAcquireAsync(TimeSpan.FromSeconds(5), null, None));

        await using (var admin = await db.OpenAsync())
        {
            Assert.Equal(1, await db.KillOtherSessionsAsync(admin));
        }

        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteAsync("CREATE TABLE t (id INT)", ShortLockWait, None));
        Expect.Kind(ErrorKind.ConnectionLost, ex);
        var read = await Assert.ThrowsAsync<EngineException>(() => engine.Journal.ReadAsync(None));
        Expect.Kind(ErrorKind.ConnectionLost, read);

        // the lock went with the session: releasing it is a no-op, and another engine takes it
        await engine.Lock.ReleaseAsync(None);
        var other = await db.ConnectAsync();
        Assert.True(await other.Lock.TryAcquireAsync(TimeSpan.FromSeconds(2), null, None));
    }
}
