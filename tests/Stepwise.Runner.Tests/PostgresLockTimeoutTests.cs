using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Another session holds a lock that conflicts with a migration's ALTER TABLE for 5 s: `up` gives up each
/// attempt after lock_timeout, retries with backoff, and succeeds once the lock is released; meanwhile the
/// application's queries on the table are held up by the queued DDL for at most about lock_timeout.
/// </summary>
[Collection("postgres")]
public sealed class PostgresLockTimeoutTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan s_hold = TimeSpan.FromSeconds(5);

    private static async Task<PgScenario> TableTAsync(PostgresFixture fixture, string test)
    {
        var pg = await PgScenario.CreateAsync(fixture, test);
        pg.Write("0001_create_t.up.sql", "CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0, v text);\nINSERT INTO t (id, v) SELECT g, 'row ' || g FROM generate_series(1, 100) g;\n");
        var first = await pg.RunAsync("up");
        Assert.True(first.ExitCode == 0, PgScenario.Describe(first));
        pg.Write("0002_add_note.up.sql", "ALTER TABLE t ADD COLUMN note text;\n");
        return pg;
    }

    private static int Retries(ChildProcessResult result) =>
        result.StandardError.Split('\n').Count(l => l.Contains("lock not granted", StringComparison.Ordinal) && l.Contains("retry", StringComparison.Ordinal));

    [Fact]
    public async Task Up_retries_while_another_session_holds_access_exclusive_and_succeeds_after_release()
    {
        using var pg = await TableTAsync(fixture, nameof(Up_retries_while_another_session_holds_access_exclusive_and_succeeds_after_release));
        await using var holder = await pg.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", holder, tx))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        await using var up = pg.Start("up", "--lock-timeout", "500ms");
        await up.WaitForOutputAsync("applying 0002", TimeSpan.FromSeconds(30)); // the process start is not part of the 5 s
        await Task.Delay(s_hold);
        Assert.False(up.HasExited, "up ended while the table was still locked:\n" + up.StandardError);
        await tx.CommitAsync();

        var result = await up.WaitForExitAsync(TimeSpan.FromSeconds(40));
        PgScenario.AssertNoPassword(result, "up");
        Assert.True(result.ExitCode == 0, PgScenario.Describe(result));
        Assert.True(Retries(result) >= 3, "expected several lock-timeout retries in 5 s:\n" + result.StandardError);
        Assert.True(await pg.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'note')"));
        output.WriteLine($"{Retries(result)} retries; up took {result.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// What is measured is the wait the queued DDL adds, not the holder's own: the holder is a long transaction
    /// that did SELECT … FOR SHARE on row 1, so it holds ROW SHARE on t. That conflicts with ALTER TABLE's ACCESS
    /// EXCLUSIVE (the DDL queues) but not with the application's ACCESS SHARE (SELECT) or ROW EXCLUSIVE (UPDATE of
    /// rows other than 1): without stepwise, the application would not wait at all. While the ALTER waits in the
    /// queue, later requests for conflicting locks queue behind it, so every application query that arrives in that
    /// window waits until the ALTER gives up (lock_timeout) — the wait bounded here.
    /// </summary>
    [Fact]
    public async Task Application_queries_wait_at_most_about_lock_timeout_while_ddl_is_queued()
    {
        using var pg = await TableTAsync(fixture, nameof(Application_queries_wait_at_most_about_lock_timeout_while_ddl_is_queued));
        var lockTimeout = TimeSpan.FromMilliseconds(500);

        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var app = Task.Run(() => ApplicationLoopAsync(pg, clock, stop.Token));
        await Task.Delay(TimeSpan.FromSeconds(1)); // a baseline with no lock anywhere

        await using var holder = await pg.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var share = new NpgsqlCommand("SELECT id FROM t WHERE id = 1 FOR SHARE", holder, tx))
        {
            await share.ExecuteNonQueryAsync();
        }

        var held = clock.Elapsed;
        await using var up = pg.Start("up", "--lock-timeout", "500ms");
        await up.WaitForOutputAsync("applying 0002", TimeSpan.FromSeconds(30)); // the process start is not part of the 5 s
        await Task.Delay(s_hold);
        var release = clock.Elapsed;
        Assert.False(up.HasExited, "up ended while the conflicting lock was still held:\n" + up.StandardError);
        await tx.CommitAsync();
        var result = await up.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var done = clock.Elapsed;
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await stop.CancelAsync();
        var samples = await app;

        PgScenario.AssertNoPassword(result, "up");
        Assert.True(result.ExitCode == 0, PgScenario.Describe(result));
        var retries = Retries(result);
        Assert.True(retries >= 3, "expected several lock-timeout retries in 5 s:\n" + result.StandardError);
        Assert.True(await pg.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'note')"));

        Assert.All(samples, s => Assert.Null(s.Error));
        var baseline = samples.Where(s => s.Start < held).ToList();
        var contended = samples.Where(s => s.Start >= held && s.Start < done).ToList();
        Assert.NotEmpty(baseline);
        Assert.True(contended.Count > 20, $"only {contended.Count} application queries ran while stepwise was retrying");
        var lockWaits = contended.Select(s => s.LockWaitMs).OrderBy(d => d).ToList();
        var roundTrips = contended.Select(s => s.Duration.TotalMilliseconds).OrderBy(d => d).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline (no locks): {baseline.Count} queries, round trip median {Percentile(baseline.Select(s => s.Duration.TotalMilliseconds).OrderBy(d => d).ToList(), 0.5):0.0} ms, max {baseline.Max(s => s.Duration.TotalMilliseconds):0.0} ms; lock waits {baseline.Count(s => s.LockWaitMs > 0)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"while stepwise retried ({retries} retries, conflicting lock held {(release - held).TotalSeconds:0.0} s): {contended.Count} queries; {lockWaits.Count(d => d > 0)} waited for a lock > 20 ms: {string.Join(", ", lockWaits.Where(d => d > 0).Select(d => d.ToString("0", CultureInfo.InvariantCulture)))} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round trips: median {Percentile(roundTrips, 0.5):0.0} ms, p90 {Percentile(roundTrips, 0.9):0.0} ms, p99 {Percentile(roundTrips, 0.99):0.0} ms, max {roundTrips[^1]:0.0} ms; slowest: {string.Join(", ", contended.OrderByDescending(s => s.Duration).Take(8).Select(s => $"{s.Duration.TotalMilliseconds:0} ms (lock {s.LockWaitMs:0})"))}"));

        // the scenario really queued the application behind the DDL (else the bound below proves nothing) ...
        Assert.True(lockWaits.Count(d => d >= lockTimeout.TotalMilliseconds / 2) >= 2, $"the application did not queue behind the ALTER attempts: lock waits {string.Join(", ", lockWaits.Where(d => d > 0))}");

        // ... and no query waited for its lock longer than lock_timeout + 100 ms, the issue's bound. The wait is the
        // server's own figure (log_lock_waits), so the test process's scheduling on this busy machine is not in it.
        Assert.True(lockWaits[^1] <= lockTimeout.TotalMilliseconds + 100, $"an application query waited {lockWaits[^1]:0} ms for its lock with lock_timeout {lockTimeout.TotalMilliseconds:0} ms");

        // Round trips are reported, not bounded: on this shared 2-core machine the test process itself stalls for
        // hundreds of ms at times (seen: 904 ms with no lock wait at all), which says nothing about stepwise.
    }

    /// <summary>One application query: when it started, its round trip, and how long the server says it waited for a
    /// table lock (0 when it did not wait longer than deadlock_timeout, 20 ms here).</summary>
    private sealed record Sample(TimeSpan Start, TimeSpan Duration, double LockWaitMs, string? Error);

    /// <summary>The application: a SELECT and a single-row UPDATE in turn, on its own connection, each with a
    /// statement timeout so that nothing can hang the test. log_lock_waits reports every lock wait longer than
    /// deadlock_timeout to this client ("process N acquired AccessShareLock on relation … after 498.2 ms").</summary>
    private static async Task<List<Sample>> ApplicationLoopAsync(PgScenario pg, Stopwatch clock, CancellationToken stop)
    {
        var samples = new List<Sample>();
        await using var connection = await pg.OpenAsync();
        double lockWait = 0;
        connection.Notice += (_, e) =>
        {
            var text = e.Notice.MessageText;
            var after = text.LastIndexOf(" after ", StringComparison.Ordinal);
            if (text.Contains(" acquired ", StringComparison.Ordinal) && after > 0 && text.EndsWith(" ms", StringComparison.Ordinal))
            {
                lockWait += double.Parse(text[(after + 7)..^3], CultureInfo.InvariantCulture);
            }
        };
        await using (var setup = new NpgsqlCommand("SET statement_timeout = '5s'; SET log_lock_waits = on; SET deadlock_timeout = '20ms'; SET client_min_messages = 'log'", connection))
        {
            await setup.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await using var select = new NpgsqlCommand("SELECT count(*), max(v) FROM t WHERE id <= 50", connection);
        await using var update = new NpgsqlCommand("UPDATE t SET n = n + 1 WHERE id = $1", connection);
        var id = new NpgsqlParameter<int> { TypedValue = 2 };
        update.Parameters.Add(id);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var start = clock.Elapsed;
            string? error = null;
            lockWait = 0;
            try
            {
                if (i % 2 == 0)
                {
                    await select.ExecuteScalarAsync(CancellationToken.None);
                }
                else
                {
                    id.TypedValue = 2 + (i % 99); // never row 1, which the holder has FOR SHARE
                    await update.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (PostgresException ex)
            {
                error = ex.SqlState + " " + ex.MessageText;
            }

            samples.Add(new Sample(start, clock.Elapsed - start, lockWait, error));
            await Task.Delay(5, CancellationToken.None);
        }

        return samples;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
