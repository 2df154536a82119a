using System.Globalization;
using System.Text.RegularExpressions;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql.Trace;

/// <summary>
/// Traces one statement on the working session. Metadata locks: a second connection reads the session's rows of
/// performance_schema.metadata_locks every few milliseconds (needs performance_schema=ON and the
/// <c>wait/lock/metadata/sql/mdl</c> instrument; otherwise a note says locks were not observed). Rebuilds: InnoDB
/// table ids before and after. Algorithm of an ALTER (also CREATE/DROP INDEX): the statement is tried with the
/// algorithm forced to INSTANT, then INPLACE, then as the server likes (COPY); the server refuses a forced algorithm
/// it cannot honour before it changes anything (error 1845/1846), so the first attempt that runs is the cheapest
/// algorithm the server has for it, which is also the one it picks by default. MariaDB forces through the session
/// variable <c>alter_algorithm</c>; MySQL through an appended <c>ALGORITHM=</c> clause. DDL commits by itself there,
/// so <see cref="TraceOptions.InTransaction"/> is ignored.
/// </summary>
internal sealed partial class MySqlTracer(MySqlSession session) : IStatementTracer
{
    private const int AlgorithmNotSupported = 1845;
    private const int AlgorithmNotSupportedReason = 1846;

    private const string LocksSql = """
        SELECT OBJECT_NAME, LOCK_TYPE, LOCK_STATUS FROM performance_schema.metadata_locks
        WHERE OWNER_THREAD_ID = @thread AND OBJECT_TYPE = 'TABLE' AND OBJECT_SCHEMA = @db
        """;

    /// <summary>How long a holder transaction may delay the traced ALTER when its wait is not seen.</summary>
    private static readonly TimeSpan HoldAtMost = TimeSpan.FromMilliseconds(250);

    public async Task<StatementTrace> TraceAsync(string statement, TraceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return await RunAsync(statement, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not MySqlException && MySqlSession.IsDatabaseFailure(ex))
        {
            throw session.Translate(ex, null);
        }
    }

    private async Task<StatementTrace> RunAsync(string statement, TraceOptions options, CancellationToken ct)
    {
        var work = session.Connection;
        var notes = new List<string>();
        var before = await MySqlTables.ReadAsync(work, session.IsMariaDb, ct).ConfigureAwait(false);
        var thread = await ThreadIdAsync(work, notes, ct).ConfigureAwait(false);
        var database = work.Database;

        await using var watcher = await session.OpenAsync(ct).ConfigureAwait(false);
        await using var poll = new MySqlCommand(LocksSql, watcher);
        poll.Parameters.AddWithValue("@thread", thread ?? -1);
        poll.Parameters.AddWithValue("@db", database);

        var isAlter = AlterStatement().IsMatch(statement);
        AlterAlgorithm? algorithm = null;
        string? error = null;
        // An ALTER that the server runs in a few milliseconds (INSTANT) could start and end between two polls. As on a
        // live table, a transaction of another session that has read the tables (SHARED_READ) makes the ALTER wait at
        // its upgrade to EXCLUSIVE, holding its SHARED_UPGRADABLE lock: the poller sees it waiting, then ends that
        // transaction (or it ends after HoldAtMost), and the ALTER goes on.
        Holder? holder = null;
        var poller = LockPoller.Start(token => thread is null ? Task.FromResult<IReadOnlyList<(string, string)>>([]) : ReadLocksAsync(poll, holder, token), options.PollInterval);
        await using (poller.ConfigureAwait(false))
        {
            await poller.WaitForFreshPollsAsync(1, ct).ConfigureAwait(false);
            var start = poller.Now;
            if (options.StatementTimeout > TimeSpan.Zero && session.IsMariaDb)
            {
                await ExecAsync(work, $"SET SESSION max_statement_time = {options.StatementTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false);
            }

            try
            {
                if (isAlter)
                {
                    foreach (var attempt in new AlterAlgorithm?[] { AlterAlgorithm.Instant, AlterAlgorithm.Inplace, null })
                    {
                        holder = thread is null ? null : await HoldAsync(before.Tables.Keys, ct).ConfigureAwait(false);
                        poller.Reset();
                        start = poller.Now;
                        try
                        {
                            holder?.ReleaseAfter(HoldAtMost);
                            await RunAlterAsync(work, statement, attempt, ct).ConfigureAwait(false);
                            algorithm = attempt ?? AlterAlgorithm.Copy;
                            break;
                        }
                        catch (MySqlException ex) when (attempt is not null && ex.Number is AlgorithmNotSupported or AlgorithmNotSupportedReason)
                        {
                        }
                        finally
                        {
                            if (holder is not null)
                            {
                                await holder.ReleaseAsync().ConfigureAwait(false);
                            }
                        }
                    }
                }
                else
                {
                    await ExecAsync(work, statement, ct).ConfigureAwait(false);
                }
            }
            catch (MySqlException ex)
            {
                error = $"{ex.Number.ToString(CultureInfo.InvariantCulture)}: {ex.Message}";
            }
            finally
            {
                if (options.StatementTimeout > TimeSpan.Zero && session.IsMariaDb)
                {
                    await ExecAsync(work, "SET SESSION max_statement_time = 0", CancellationToken.None).ConfigureAwait(false);
                }
            }

            var end = poller.Now;
            var sightings = await poller.StopAsync().ConfigureAwait(false);
            if (poller.Failure is { } failure)
            {
                notes.Add("metadata-lock polling stopped early: " + failure.Message);
            }

            var after = await MySqlTables.ReadAsync(work, session.IsMariaDb, ct).ConfigureAwait(false);
            var locks = sightings
                .Where(s => !s.Key.StartsWith('#'))
                .Select(s => new TracedLock(s.Key, false, s.Mode, s.Held, MySqlLockModes.Blocks(s.Mode)))
                .ToList();
            if (error is null && algorithm is { } done)
            {
                locks.AddRange(Upgrades(locks, done, end - start));
            }

            return new StatementTrace(end - start, locks, Storage(before, after), [], error is null ? algorithm : null, error) { Notes = notes, LocksObserved = thread is not null };
        }
    }

    /// <summary>The upgrades of an ALTER's SHARED_UPGRADABLE metadata lock that performance_schema does not show
    /// (sql_table.cc): COPY upgrades to SHARED_NO_WRITE while it copies, then to EXCLUSIVE to swap the tables;
    /// INPLACE and INSTANT upgrade to EXCLUSIVE briefly (INPLACE at its start and its commit).</summary>
    private static IEnumerable<TracedLock> Upgrades(List<TracedLock> seen, AlterAlgorithm algorithm, TimeSpan duration)
    {
        foreach (var table in seen.Where(l => l.Mode == "SHARED_UPGRADABLE").Select(l => l.Relation).Distinct(StringComparer.Ordinal).ToList())
        {
            if (algorithm == AlterAlgorithm.Copy && !seen.Any(l => l.Relation == table && l.Mode == "SHARED_NO_WRITE"))
            {
                yield return new TracedLock(table, false, "SHARED_NO_WRITE", duration, MySqlLockModes.Blocks("SHARED_NO_WRITE")) { Inferred = true };
            }

            if (!seen.Any(l => l.Relation == table && l.Mode == "EXCLUSIVE"))
            {
                yield return new TracedLock(table, false, "EXCLUSIVE", TimeSpan.Zero, MySqlLockModes.Blocks("EXCLUSIVE")) { Inferred = true };
            }
        }
    }

    private async Task RunAlterAsync(MySqlConnection work, string statement, AlterAlgorithm? algorithm, CancellationToken ct)
    {
        var name = algorithm?.ToString().ToUpperInvariant();
        if (session.IsMariaDb)
        {
            await ExecAsync(work, $"SET SESSION alter_algorithm = '{name ?? "DEFAULT"}'", ct).ConfigureAwait(false);
            try
            {
                await ExecAsync(work, statement, ct).ConfigureAwait(false);
            }
            finally
            {
                await ExecAsync(work, "SET SESSION alter_algorithm = 'DEFAULT'", CancellationToken.None).ConfigureAwait(false);
            }
        }
        else
        {
            var forced = name is null || statement.Contains("ALGORITHM", StringComparison.OrdinalIgnoreCase)
                ? statement
                : statement.TrimEnd().TrimEnd(';') + (statement.TrimStart().StartsWith("ALTER", StringComparison.OrdinalIgnoreCase) ? ", " : " ") + "ALGORITHM=" + name;
            await ExecAsync(work, forced, ct).ConfigureAwait(false);
        }
    }

    private static async Task<long?> ThreadIdAsync(MySqlConnection work, List<string> notes, CancellationToken ct)
    {
        try
        {
            await using var cmd = new MySqlCommand(
                "SELECT t.THREAD_ID, (SELECT ENABLED FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl') " +
                "FROM performance_schema.threads t WHERE t.PROCESSLIST_ID = CONNECTION_ID() AND @@performance_schema = 1",
                work);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false) && !reader.IsDBNull(1) && reader.GetString(1) == "YES")
            {
                return Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            }
        }
        catch (MySqlException)
        {
            // no access to performance_schema: said below
        }

        notes.Add("performance_schema is off, or its wait/lock/metadata/sql/mdl instrument is disabled: metadata locks were not observed");
        return null;
    }

    private static async Task<IReadOnlyList<(string Key, string Mode)>> ReadLocksAsync(MySqlCommand poll, Holder? holder, CancellationToken token)
    {
        var list = new List<(string, string)>();
        var waiting = false;
        await using (var reader = await poll.ExecuteReaderAsync(token).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                if (reader.GetString(2) == "GRANTED")
                {
                    list.Add((reader.GetString(0), reader.GetString(1)));
                }
                else
                {
                    waiting = true;
                }
            }
        }

        if (waiting && holder is not null)
        {
            await holder.ReleaseAsync().ConfigureAwait(false);
        }

        return list;
    }

    /// <summary>A transaction on another connection that has read every user table (SHARED_READ metadata locks);
    /// null when it cannot be opened (the trace may then miss a very short lock).</summary>
    private async Task<Holder?> HoldAsync(IEnumerable<string> tables, CancellationToken ct)
    {
        var names = tables.ToList();
        if (names.Count == 0)
        {
            return null;
        }

        var connection = await session.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await ExecAsync(connection, "START TRANSACTION", ct).ConfigureAwait(false);
            foreach (var table in names)
            {
                await ExecAsync(connection, "SELECT 1 FROM `" + table.Replace("`", "``", StringComparison.Ordinal) + "` LIMIT 1", ct).ConfigureAwait(false);
            }
        }
        catch (MySqlException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        return new Holder(connection);
    }

    /// <summary>The connection whose open transaction makes the traced ALTER wait; ended once.</summary>
    private sealed class Holder(MySqlConnection connection)
    {
        private MySqlConnection? _connection = connection;

        public void ReleaseAfter(TimeSpan delay) => _ = Task.Delay(delay).ContinueWith(_ => ReleaseAsync(), TaskScheduler.Default).Unwrap();

        public async Task ReleaseAsync()
        {
            var c = Interlocked.Exchange(ref _connection, null);
            if (c is not null)
            {
                // closing the connection ends its transaction and its metadata locks
                await c.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static List<StorageChange> Storage(MySqlTables.Snapshot before, MySqlTables.Snapshot after)
    {
        var changes = new List<StorageChange>();
        foreach (var (table, id) in before.Tables.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!after.Tables.TryGetValue(table, out var now))
            {
                changes.Add(new StorageChange(table, false, StorageChangeKind.Dropped, table));
            }
            else if (now != id)
            {
                changes.Add(new StorageChange(table, false, StorageChangeKind.Rewritten, table));
            }
        }

        changes.AddRange(after.Tables.Keys.Where(t => !before.Tables.ContainsKey(t)).Order(StringComparer.Ordinal)
            .Select(t => new StorageChange(t, false, StorageChangeKind.Created, t)));

        foreach (var ((table, index), id) in before.Indexes.OrderBy(p => p.Key.Table, StringComparer.Ordinal).ThenBy(p => p.Key.Index, StringComparer.Ordinal))
        {
            if (!after.Indexes.TryGetValue((table, index), out var now))
            {
                changes.Add(new StorageChange(index, true, StorageChangeKind.Dropped, table));
            }
            else if (now != id)
            {
                changes.Add(new StorageChange(index, true, StorageChangeKind.Rewritten, table));
            }
        }

        changes.AddRange(after.Indexes.Keys.Where(k => !before.Indexes.ContainsKey(k) && before.Tables.ContainsKey(k.Table))
            .OrderBy(k => k.Table, StringComparer.Ordinal).ThenBy(k => k.Index, StringComparer.Ordinal)
            .Select(k => new StorageChange(k.Index, true, StorageChangeKind.Created, k.Table)));
        return changes;
    }

    private static async Task ExecAsync(MySqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new MySqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^\s*(ALTER\s+(ONLINE\s+|IGNORE\s+)*TABLE|CREATE\s+(UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX|DROP\s+INDEX)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AlterStatement();
}
