using System.Diagnostics;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>The migration lock: a session-level advisory lock on a fixed key, held by the working session.</summary>
internal sealed class PostgresLock(PostgresSession session) : IMigrationLock
{
    // an arbitrary fixed key: every stepwise runner on a database contends for the same lock
    internal const long Key = 7_359_282_710_163_947_631;

    public async Task<bool> TryAcquireAsync(TimeSpan wait, IProgress<LockWait>? waiting, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            var got = await session.Run(async c =>
            {
                await using var cmd = new NpgsqlCommand($"SELECT pg_try_advisory_lock({Key})", c);
                return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }).ConfigureAwait(false);
            if (got)
            {
                return true;
            }

            if (clock.Elapsed >= wait)
            {
                return false;
            }

            if (!told && clock.Elapsed >= TimeSpan.FromSeconds(1))
            {
                told = true;
                waiting?.Report(new LockWait(LockKind.MigrationLock, clock.Elapsed));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!session.IsOpen)
        {
            return;
        }

        try
        {
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({Key})", session.Connection);
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (session.IsDatabaseFailure(ex))
        {
            // the session is gone, and with it the lock
        }
    }

    public Task<LockHolder?> HolderAsync(CancellationToken cancellationToken) => session.Run<LockHolder?>(async c =>
    {
        // a bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1;
        // the holder is another session than ours
        await using var cmd = new NpgsqlCommand("""
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''),
                   coalesce(extract(epoch FROM now() - coalesce(a.query_start, a.backend_start))::bigint, -1),
                   left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.pid <> pg_backend_pid()
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)((ulong)Key >> 32) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Key & 0xFFFF_FFFF });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // another role's session shows only its pid unless we may see its activity (pg_read_all_stats)
        var seconds = reader.GetInt64(3);
        return new LockHolder(reader.GetInt32(0), NullIfEmpty(reader.GetString(1)), NullIfEmpty(reader.GetString(2)), seconds >= 0 ? seconds : null, NullIfEmpty(reader.GetString(4)));
    });

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
