using Stepwise.Engines;
using Stepwise.Engines.Conformance;

namespace Stepwise.Sqlite.Tests;

/// <summary>SQLite's own ability: while another connection holds the database's write lock, a transactional unit
/// waits for it (saying so after about a second) and goes on once it is free; a single statement still gives up at
/// its lock timeout.</summary>
public sealed class DatabaseLockWaitTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly ExecutionLimits Limits = new(TimeSpan.FromSeconds(1), TimeSpan.Zero);

    [Fact]
    public async Task A_transaction_waits_for_the_database_write_lock_says_so_and_goes_on_when_it_is_free()
    {
        var target = new SqliteTarget();
        await using var db = await target.CreateDatabaseAsync(nameof(A_transaction_waits_for_the_database_write_lock_says_so_and_goes_on_when_it_is_free));
        await db.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY)");
        var engine = await db.ConnectAsync();
        await engine.Journal.EnsureAsync(None);
        var waits = engine.Ability<IDatabaseLockWaits>();
        Assert.NotNull(waits);
        var recorder = new ProgressRecorder<LockWait>();
        waits.Waiting = recorder;

        await using var holder = await db.OpenAsync();
        foreach (var sql in target.HoldConflictingLock("t"))
        {
            await RawSql.ExecuteAsync(holder, sql);
        }

        var run = engine.Executor.ExecuteInTransactionAsync(["INSERT INTO t VALUES (1)", "ALTER TABLE t ADD COLUMN c2 INT"], JournalChange.Record(JournalConformance.Bare("1")), Limits, None);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(run.IsCompleted, "the transaction gave up while another connection held the write lock");
        var (report, at) = Assert.Single(recorder.Reports);
        Assert.Equal(LockKind.DatabaseWriteLock, report.What);
        Assert.InRange(at, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1.5));

        await holder.CloseAsync(); // rolls the holder's transaction back
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM t"));
        Assert.Contains("c2", await db.ColumnsAsync("t"));
        Assert.Equal(["1"], (await engine.Journal.ReadAsync(None)).Select(r => r.Version));
    }
}
