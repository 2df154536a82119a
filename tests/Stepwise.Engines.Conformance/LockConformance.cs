using System.Diagnostics;

namespace Stepwise.Engines.Conformance;

/// <summary>The migration lock between two engines on one database: exclusive, its holder named, a waiter told
/// after about a second, and free again once released.</summary>
public abstract class LockConformance(ConformanceTarget target)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_second_engine_cannot_take_the_lock_until_the_first_releases_it()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_second_engine_cannot_take_the_lock_until_the_first_releases_it));
        var first = await db.ConnectAsync();
        var second = await db.ConnectAsync();

        Assert.Null(await second.Lock.HolderAsync(None));
        Assert.True(await first.Lock.TryAcquireAsync(TimeSpan.FromSeconds(5), null, None));
        Assert.Null(await first.Lock.HolderAsync(None)); // our own lock is not "someone else's"

        var clock = Stopwatch.StartNew();
        Assert.False(await second.Lock.TryAcquireAsync(TimeSpan.Zero, null, None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"a zero wait took {clock.Elapsed}");

        var holder = await second.Lock.HolderAsync(None);
        Assert.NotNull(holder);
        if (target.HolderKind == LockHolderKind.Session)
        {
            Assert.True(holder.SessionId > 0, $"holder session id {holder.SessionId}");
            Assert.Null(holder.LockFile);
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(holder.LockFile));
        }

        await first.Lock.ReleaseAsync(None);
        Assert.True(await second.Lock.TryAcquireAsync(TimeSpan.FromSeconds(1), null, None));
        Assert.NotNull(await first.Lock.HolderAsync(None));
        Assert.False(await first.Lock.TryAcquireAsync(TimeSpan.Zero, null, None));

        await second.Lock.ReleaseAsync(None);
        Assert.Null(await first.Lock.HolderAsync(None));
    }

    [Fact]
    public async Task A_waiter_is_told_after_about_a_second_and_gives_up_at_its_wait()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_waiter_is_told_after_about_a_second_and_gives_up_at_its_wait));
        var first = await db.ConnectAsync();
        var second = await db.ConnectAsync();
        Assert.True(await first.Lock.TryAcquireAsync(TimeSpan.FromSeconds(5), null, None));

        var recorder = new ProgressRecorder<LockWait>();
        var clock = Stopwatch.StartNew();
        Assert.False(await second.Lock.TryAcquireAsync(TimeSpan.FromSeconds(1.5), recorder, None));
        var waited = clock.Elapsed;

        Assert.InRange(waited, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        var (report, at) = Assert.Single(recorder.Reports);
        Assert.Equal(LockKind.MigrationLock, report.What);
        // not before a second; the upper bound leaves room for a late wake-up on a busy machine (the suite runs the
        // test projects in parallel on 2 cores), where the one report may come as the 1.5 s wait ends
        Assert.InRange(report.Waited, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
        Assert.InRange(at, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_waiter_gets_the_lock_when_it_is_released_during_the_wait()
    {
        await using var db = await target.CreateDatabaseAsync(nameof(A_waiter_gets_the_lock_when_it_is_released_during_the_wait));
        var first = await db.ConnectAsync();
        var second = await db.ConnectAsync();
        Assert.True(await first.Lock.TryAcquireAsync(TimeSpan.FromSeconds(5), null, None));

        var recorder = new ProgressRecorder<LockWait>();
        var clock = Stopwatch.StartNew();
        var waiting = second.Lock.TryAcquireAsync(TimeSpan.FromSeconds(10), recorder, None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(waiting.IsCompleted);
        await first.Lock.ReleaseAsync(None);

        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        var waited = clock.Elapsed;
        // a wait is reported only after a second of waiting: none when the lock came sooner (here ~300 ms); on a
        // machine slow enough that the waiter's next poll came after a second, a report may come, but never early
        // (CI once saw one at 1.03 s)
        if (waited < TimeSpan.FromSeconds(0.9))
        {
            Assert.Empty(recorder.Reports);
        }

        Assert.All(recorder.Reports, r => Assert.True(r.Value.Waited >= TimeSpan.FromSeconds(0.9), $"reported after {r.Value.Waited}"));
        Assert.NotNull(await first.Lock.HolderAsync(None));
    }
}
