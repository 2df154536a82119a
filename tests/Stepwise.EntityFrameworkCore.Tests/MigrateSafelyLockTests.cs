using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Stepwise.Migrations.Running;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary>
/// Another session holds ACCESS SHARE on "Users" in an open transaction while a pending EF migration ALTERs it:
/// MigrateSafelyAsync gives up each attempt after lock_timeout, retries with backoff, and succeeds once the lock
/// is released; meanwhile an application's SELECTs on the table (which queue behind the waiting ALTER) never wait
/// for their lock longer than lock_timeout + 100 ms. The wait is the server's own figure (log_lock_waits), so the
/// test process's scheduling on a busy machine is not in it. (EF's own MigrateAsync would wait with no timeout,
/// and every SELECT with it.)
/// </summary>
[Collection("postgres")]
public sealed class MigrateSafelyLockTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task A_conflicting_lock_is_retried_until_released_and_readers_wait_at_most_lock_timeout()
    {
        // the application and the holder connect as the superuser (log_lock_waits is a superuser setting); the
        // context as the password user
        var superuser = await fixture.CreateDatabaseAsync(nameof(A_conflicting_lock_is_retried_until_released_and_readers_wait_at_most_lock_timeout));
        var cs = fixture.Server.PasswordConnectionStringFor(new NpgsqlConnectionStringBuilder(superuser).Database!);
        await using var db = TestContext.Postgres<SafeContext>(cs);
        await db.Database.MigrateAsync("20250101000000_Initial");
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"Users\" (\"Email\") SELECT 'u' || g || '@example.com' FROM generate_series(1, 100) g");

        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var reader = Task.Run(() => ReadLoopAsync(superuser, stop.Token));

        await using var holder = new NpgsqlConnection(superuser);
        await holder.OpenAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var share = new NpgsqlCommand("LOCK TABLE \"Users\" IN ACCESS SHARE MODE", holder, tx))
        {
            await share.ExecuteNonQueryAsync();
        }

        var events = new ConcurrentQueue<RunnerEvent>();
        var migrate = Task.Run(() => db.Database.MigrateSafelyAsync(new MigrateSafelyOptions { LockTimeout = s_lockTimeout, Progress = new Sync(events.Enqueue) }));
        var retrying = Stopwatch.StartNew();
        while (!events.Any(e => e.Kind == RunnerEventKind.Retrying) && retrying.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(migrate.IsCompleted, "MigrateSafelyAsync ended while the conflicting lock was held: " + (migrate.IsCompleted ? (await migrate).ToString() : string.Empty));
        await tx.CommitAsync();
        var result = await migrate.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await stop.CancelAsync();
        var waits = await reader;

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal<string>(["20250102000000_AddNickname", "20250103000000_IndexEmailConcurrently"], result.Applied);
        Assert.Equal<string>(["20250101000000_Initial", "20250102000000_AddNickname", "20250103000000_IndexEmailConcurrently"], await db.Database.GetAppliedMigrationsAsync());
        var retries = events.Count(e => e.Kind == RunnerEventKind.Retrying);
        Assert.True(retries >= 3, $"expected several lock-timeout retries in over 3 s, saw {retries}");
        Assert.All(events.Where(e => e.Kind == RunnerEventKind.Retrying), e => Assert.Equal("20250102000000_AddNickname", e.Version));

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{retries} retries in {clock.Elapsed.TotalSeconds:0.0} s; {waits.Queries} reader queries, lock waits > 20 ms: {string.Join(", ", waits.LockWaitsMs.Order().Select(w => w.ToString("0", CultureInfo.InvariantCulture)))} ms"));
        Assert.Null(waits.Error);
        // the readers really queued behind the ALTER attempts (else the bound below proves nothing) ...
        Assert.True(waits.LockWaitsMs.Count(w => w >= s_lockTimeout.TotalMilliseconds / 2) >= 2, "the readers did not queue behind the ALTER: " + string.Join(", ", waits.LockWaitsMs));
        // ... and none waited longer than lock_timeout + 100 ms
        Assert.True(waits.LockWaitsMs.Max() <= s_lockTimeout.TotalMilliseconds + 100, $"a reader waited {waits.LockWaitsMs.Max():0} ms with lock_timeout {s_lockTimeout.TotalMilliseconds:0} ms");
    }

    private sealed record ReadWaits(int Queries, IReadOnlyList<double> LockWaitsMs, string? Error);

    /// <summary>The application: SELECTs on "Users" in a loop on its own connection. log_lock_waits tells this client
    /// of every lock wait longer than deadlock_timeout ("process N acquired AccessShareLock on relation … after 498.2 ms").</summary>
    private static async Task<ReadWaits> ReadLoopAsync(string cs, CancellationToken stop)
    {
        var waits = new ConcurrentQueue<double>();
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync(CancellationToken.None);
        connection.Notice += (_, e) =>
        {
            var text = e.Notice.MessageText;
            var after = text.LastIndexOf(" after ", StringComparison.Ordinal);
            if (text.Contains(" acquired ", StringComparison.Ordinal) && after > 0 && text.EndsWith(" ms", StringComparison.Ordinal))
            {
                waits.Enqueue(double.Parse(text[(after + 7)..^3], CultureInfo.InvariantCulture));
            }
        };

        await using (var setup = new NpgsqlCommand("SET statement_timeout = '5s'; SET deadlock_timeout = '20ms'; SET log_lock_waits = on; SET client_min_messages = 'log'", connection))
        {
            await setup.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await using var select = new NpgsqlCommand("SELECT count(*) FROM \"Users\"", connection);
        var queries = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await select.ExecuteScalarAsync(CancellationToken.None);
                queries++;
                await Task.Delay(10, CancellationToken.None);
            }
        }
        catch (NpgsqlException ex)
        {
            return new ReadWaits(queries, [.. waits], ex.Message);
        }

        return new ReadWaits(queries, [.. waits], null);
    }

    /// <summary>Progress reported on the caller's thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
    private sealed class Sync(Action<RunnerEvent> report) : IProgress<RunnerEvent>
    {
        public void Report(RunnerEvent value) => report(value);
    }
}
