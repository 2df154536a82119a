using System.Globalization;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql.Trace;

/// <summary>
/// Traces one statement on the working session: a second connection reads the session's relation locks from
/// pg_locks every few milliseconds while it runs (so a lock released before the statement ends, and each phase of
/// a CONCURRENTLY build, is seen); pg_class.relfilenode of every user table and index is compared before and after
/// (a new one is a rewrite); in a transaction, the tables it scanned are read from the transaction's own statistics
/// before COMMIT. Locks still held when the statement returns are seen by at least one poll before the commit.
/// </summary>
internal sealed class PostgresTracer(PostgresSession session) : IStatementTracer
{
    // granted relation locks, and whether the session waits for any lock (a CONCURRENTLY phase waiting for older
    // transactions waits on a virtualxid)
    private const string LocksSql = """
        SELECT relation::bigint, mode, granted FROM pg_locks
        WHERE pid = $1 AND ((locktype = 'relation' AND granted AND relation IS NOT NULL) OR NOT granted)
        """;

    public async Task<StatementTrace> TraceAsync(string statement, TraceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return await RunAsync(statement, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (session.IsDatabaseFailure(ex) && ex is not PostgresException)
        {
            throw session.Translate(ex, null);
        }
    }

    private async Task<StatementTrace> RunAsync(string statement, TraceOptions options, CancellationToken ct)
    {
        var work = session.Connection;
        var before = await PostgresRelations.SnapshotAsync(work, ct).ConfigureAwait(false);
        await using var watcher = await session.OpenAsync(ct).ConfigureAwait(false);
        await using var poll = new NpgsqlCommand(LocksSql, watcher);
        poll.Parameters.Add(new NpgsqlParameter<int> { TypedValue = work.ProcessID });
        await poll.PrepareAsync(ct).ConfigureAwait(false);

        string? error = null;
        IReadOnlyList<string> scanned = [];
        var notes = new List<string>();
        // Outside a transaction the statement's locks end with it, and a short one can fall between two polls. A
        // holder transaction (a snapshot, and AccessShareLock on every user table) makes each CONCURRENTLY phase
        // and every conflicting lock wait for it; the first poll that sees the session waiting has seen the locks
        // it holds while waiting, and ends the holder.
        await using var holder = options.InTransaction ? null : await HoldAsync(before, ct).ConfigureAwait(false);
        var poller = LockPoller.Start(async token => await ReadLocksAsync(poll, holder, token).ConfigureAwait(false), options.PollInterval);
        await using (poller.ConfigureAwait(false))
        {
            await poller.WaitForFreshPollsAsync(1, ct).ConfigureAwait(false);
            var start = poller.Now;
            long stillHeldAt = long.MaxValue;
            try
            {
                if (options.InTransaction)
                {
                    await ExecAsync(work, "BEGIN", ct).ConfigureAwait(false);
                    await ExecAsync(work, $"SET LOCAL statement_timeout = '{Millis(options.StatementTimeout)}'", ct).ConfigureAwait(false);
                    var scans = await PostgresRelations.ScanCountsAsync(work, ct).ConfigureAwait(false);
                    await ExecAsync(work, statement, ct).ConfigureAwait(false);
                    scanned = PostgresRelations.Grew(scans, await PostgresRelations.ScanCountsAsync(work, ct).ConfigureAwait(false));
                    await poller.WaitForFreshPollsAsync(1, ct).ConfigureAwait(false);
                    stillHeldAt = poller.Polls;
                    await ExecAsync(work, "COMMIT", ct).ConfigureAwait(false);
                }
                else
                {
                    await ExecAsync(work, $"SET statement_timeout = '{Millis(options.StatementTimeout)}'", ct).ConfigureAwait(false);
                    await ExecAsync(work, statement, ct).ConfigureAwait(false);
                    notes.Add("ran outside a transaction: scanned tables are not known");
                }
            }
            catch (PostgresException ex)
            {
                error = Describe(ex);
                if (options.InTransaction)
                {
                    await ExecAsync(work, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                if (!options.InTransaction)
                {
                    await ExecAsync(work, "RESET statement_timeout", CancellationToken.None).ConfigureAwait(false);
                }
            }

            var end = poller.Now;
            var sightings = await poller.StopAsync(stillHeldAt, end).ConfigureAwait(false);
            if (holder is not null)
            {
                await holder.ReleaseAsync().ConfigureAwait(false);
            }

            if (poller.Failure is { } failure)
            {
                notes.Add("lock polling stopped early: " + failure.Message);
            }

            var after = await PostgresRelations.SnapshotAsync(work, ct).ConfigureAwait(false);
            return new StatementTrace(end - start, Locks(sightings, before, after), Storage(before, after), scanned, null, error) { Notes = notes };
        }
    }

    private static async Task<IReadOnlyList<(string Key, string Mode)>> ReadLocksAsync(NpgsqlCommand poll, Holder? holder, CancellationToken token)
    {
        var list = new List<(string, string)>();
        var waiting = false;
        await using (var reader = await poll.ExecuteReaderAsync(token).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                if (!reader.GetBoolean(2))
                {
                    waiting = true;
                }
                else if (!reader.IsDBNull(0))
                {
                    list.Add((reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), reader.GetString(1)));
                }
            }
        }

        if (waiting && holder is not null)
        {
            await holder.ReleaseAsync().ConfigureAwait(false);
        }

        return list;
    }

    private async Task<Holder> HoldAsync(Dictionary<long, PostgresRelation> relations, CancellationToken ct)
    {
        var connection = await session.OpenAsync(ct).ConfigureAwait(false);
        var tables = relations.Values.Where(r => !r.IsIndex).Select(r => QuoteName(r.Name)).ToList();
        var sql = "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1"
            + (tables.Count == 0 ? string.Empty : "; LOCK TABLE " + string.Join(", ", tables) + " IN ACCESS SHARE MODE NOWAIT");
        try
        {
            await ExecAsync(connection, sql, ct).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            // a table it cannot lock: no holder (the trace may then miss a very short lock)
            await connection.DisposeAsync().ConfigureAwait(false);
            return new Holder(null);
        }

        return new Holder(connection);
    }

    private static string QuoteName(string name) =>
        string.Join('.', name.Split('.').Select(part => "\"" + part.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    /// <summary>The connection whose open transaction makes the traced statement wait; ended once.</summary>
    private sealed class Holder(NpgsqlConnection? connection) : IAsyncDisposable
    {
        private NpgsqlConnection? _connection = connection;

        public async Task ReleaseAsync()
        {
            var c = Interlocked.Exchange(ref _connection, null);
            if (c is not null)
            {
                // closing the connection ends its transaction
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }

        public ValueTask DisposeAsync() => new(ReleaseAsync());
    }

    /// <summary>Locks on user tables and indexes (named from either snapshot: a new index is only visible after
    /// its commit, a dropped one only before); catalog and transient relations are left out.</summary>
    private static List<TracedLock> Locks(IReadOnlyList<LockSighting> sightings, Dictionary<long, PostgresRelation> before, Dictionary<long, PostgresRelation> after)
    {
        var locks = new List<TracedLock>();
        foreach (var s in sightings)
        {
            var oid = long.Parse(s.Key, CultureInfo.InvariantCulture);
            if (!after.TryGetValue(oid, out var relation) && !before.TryGetValue(oid, out relation))
            {
                continue;
            }

            locks.Add(new TracedLock(relation.Name, relation.IsIndex, s.Mode, s.Held, PostgresLockModes.Blocks(s.Mode)));
        }

        return locks;
    }

    private static List<StorageChange> Storage(Dictionary<long, PostgresRelation> before, Dictionary<long, PostgresRelation> after)
    {
        var changes = new List<StorageChange>();
        foreach (var (oid, old) in before.OrderBy(p => p.Value.Name, StringComparer.Ordinal))
        {
            if (!after.TryGetValue(oid, out var now))
            {
                changes.Add(new StorageChange(old.Name, old.IsIndex, StorageChangeKind.Dropped, old.Table));
            }
            else if (old.FileNode != 0 && now.FileNode != old.FileNode)
            {
                changes.Add(new StorageChange(now.Name, now.IsIndex, StorageChangeKind.Rewritten, now.Table));
            }
        }

        foreach (var (oid, now) in after.OrderBy(p => p.Value.Name, StringComparer.Ordinal))
        {
            if (!before.ContainsKey(oid))
            {
                // REINDEX CONCURRENTLY builds a new index and drops the old one under the same name: a rebuild
                // (ALTER TYPE also recreates an index under its name, but keeps its storage when the type change is
                // binary-coercible: same relfilenode, nothing rebuilt)
                var dropped = changes.FindIndex(c => c.Kind == StorageChangeKind.Dropped && c.Relation == now.Name && c.IsIndex == now.IsIndex);
                if (dropped >= 0)
                {
                    var old = before.Values.First(r => r.Name == now.Name && r.IsIndex == now.IsIndex);
                    if (old.FileNode == now.FileNode)
                    {
                        changes.RemoveAt(dropped);
                    }
                    else
                    {
                        changes[dropped] = changes[dropped] with { Kind = StorageChangeKind.Rewritten };
                    }
                }
                else
                {
                    changes.Add(new StorageChange(now.Name, now.IsIndex, StorageChangeKind.Created, now.Table));
                }
            }
        }

        return changes;
    }

    private static async Task ExecAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static string Millis(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static string Describe(PostgresException ex) => $"{ex.SqlState}: {ex.MessageText}";
}
