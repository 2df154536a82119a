using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Stepwise.Engines;

namespace Stepwise.Migrations.Backfill;

/// <summary>
/// Changes every row of a live table in keyset batches on its primary key, one transaction (and one
/// checkpoint write) per batch, never OFFSET over the table, so throughput stays flat as the table grows.
/// Rows are processed up to the largest key that existed when the backfill started: rows inserted later are
/// written by the new application code, and the loop always ends. Each batch waits at most the lock timeout
/// for application row locks, then retries smaller.
/// </summary>
public static class BackfillRunner
{
    public static Task<BackfillResult> RunAsync(IEngine engine, DatabaseTarget target, BackfillSpec spec, IProgress<BackfillProgress>? progress, CancellationToken ct) =>
        RunAsync(engine, target, spec, progress, ct, connect: true);

    /// <summary>With <paramref name="connect"/> false the engine is already connected (the migration runner's).</summary>
    internal static async Task<BackfillResult> RunAsync(IEngine engine, DatabaseTarget target, BackfillSpec spec, IProgress<BackfillProgress>? progress, CancellationToken ct, bool connect)
    {
        try
        {
            if (connect)
            {
                await engine.ConnectAsync(ct).ConfigureAwait(false);
            }

            var key = await engine.Catalog.PrimaryKeyAsync(spec.Table, ct).ConfigureAwait(false);
            if (key.Count == 0)
            {
                return new BackfillResult(BackfillOutcome.InputError, NoKey(spec.Table));
            }

            var estimate = await engine.Catalog.EstimateRowsAsync(spec.Table, ct).ConfigureAwait(false);
            var connection = await engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await LoopAsync(connection, engine, spec, key, estimate, progress, ct).ConfigureAwait(false);
            }
        }
        catch (EngineException ex)
        {
            return new BackfillResult(ex.Kind == ErrorKind.ConnectionLost ? BackfillOutcome.InputError : BackfillOutcome.Failed, target.Scrub(ex.Message)) { ErrorKind = ex.Kind, SqlState = ex.SqlState };
        }
        catch (DbException ex)
        {
            var kind = engine.Backfill.IsConnectionLost(ex) ? ErrorKind.ConnectionLost : engine.Backfill.IsLockTimeout(ex) ? ErrorKind.LockTimeout : ErrorKind.Statement;
            return new BackfillResult(BackfillOutcome.Failed, target.Scrub(ex.Message)) { ErrorKind = kind, SqlState = ex.SqlState };
        }
    }

    /// <summary>Forgets a backfill's checkpoint, so the same name runs again (after `down` undid the change).</summary>
    public static async Task ForgetAsync(IEngine engine, string name, CancellationToken ct)
    {
        var connection = await engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await CreateCheckpointTableAsync(connection, engine.Backfill, ct).ConfigureAwait(false);
            await ExecAsync(connection, null, $"DELETE FROM {engine.Backfill.CheckpointTable} WHERE name = @name", ct, [("@name", name)]).ConfigureAwait(false);
        }
    }

    /// <summary>What a run would do, without changing anything: the key it would walk, the row estimate, and the
    /// checkpoint it would resume from. Null plan with a reason when it could not run.</summary>
    public static async Task<(BackfillPlan? Plan, string? Problem)> PlanAsync(IEngine engine, BackfillSpec spec, CancellationToken ct)
    {
        var key = await engine.Catalog.PrimaryKeyAsync(spec.Table, ct).ConfigureAwait(false);
        if (key.Count == 0)
        {
            return (null, NoKey(spec.Table));
        }

        var estimate = await engine.Catalog.EstimateRowsAsync(spec.Table, ct).ConfigureAwait(false);
        BackfillCheckpoint? checkpoint = null;
        var connection = await engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                checkpoint = await ReadCheckpointAsync(connection, engine.Backfill, spec.Name, ct).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // no checkpoint table yet: nothing was ever backfilled here
            }
        }

        return (new BackfillPlan(key, estimate, spec.BatchSize, spec.BatchTime, checkpoint), null);
    }

    internal static string NoKey(string table) =>
        $"table {table} has no primary key (or does not exist): keyset batches walk the primary key; add one first";

    private static async Task<BackfillResult> LoopAsync(DbConnection connection, IEngine engine, BackfillSpec spec, IReadOnlyList<KeyColumn> key, long? estimate, IProgress<BackfillProgress>? progress, CancellationToken ct)
    {
        var sql = engine.Backfill;
        var stop = ct;
        ct = CancellationToken.None; // a batch in flight always finishes; `stop` is checked between batches
        await CreateCheckpointTableAsync(connection, sql, ct).ConfigureAwait(false);
        var checkpoint = await ReadCheckpointAsync(connection, sql, spec.Name, ct).ConfigureAwait(false);
        if (checkpoint is { State: BackfillState.Done })
        {
            return new BackfillResult(BackfillOutcome.AlreadyDone, Msg($"backfill {spec.Name} already finished ({checkpoint.RowsDone:N0} rows in {Batches(checkpoint.Batches)}); nothing to do"), checkpoint.RowsDone, checkpoint.Batches);
        }

        if (checkpoint is not null && !string.Equals(checkpoint.Table, spec.Table, StringComparison.Ordinal))
        {
            return new BackfillResult(BackfillOutcome.InputError, $"a backfill named {spec.Name} already exists for table {checkpoint.Table}; choose another --name");
        }

        var table = sql.Table(spec.Table);
        var end = checkpoint?.EndKey ?? await KeyAsync(connection, null, $"SELECT {string.Join(", ", key.Select(k => sql.Quote(k.Name)))} FROM {table} ORDER BY {sql.OrderBy(key, descending: true)} LIMIT 1", [], ct).ConfigureAwait(false);
        var isNew = checkpoint is null;
        checkpoint ??= new BackfillCheckpoint(spec.Name, spec.Table, BackfillState.Running, null, end, 0, 0);
        if (end is null)
        {
            await WriteCheckpointAsync(connection, null, sql, checkpoint with { State = BackfillState.Done }, ct).ConfigureAwait(false);
            return new BackfillResult(BackfillOutcome.Done, $"table {spec.Table} is empty: nothing to backfill");
        }

        if (isNew)
        {
            // a new checkpoint, inserted only if no other run inserted one meanwhile; then the stored row is the truth
            await WriteCheckpointAsync(connection, null, sql, checkpoint, ct, ifAbsent: true).ConfigureAwait(false);
            checkpoint = await ReadCheckpointAsync(connection, sql, spec.Name, ct).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the checkpoint {spec.Name} could not be written");
            if (checkpoint.State == BackfillState.Done)
            {
                return new BackfillResult(BackfillOutcome.AlreadyDone, Msg($"backfill {spec.Name} was finished by another run ({checkpoint.RowsDone:N0} rows in {Batches(checkpoint.Batches)})"), checkpoint.RowsDone, checkpoint.Batches);
            }

            if (!string.Equals(checkpoint.Table, spec.Table, StringComparison.Ordinal))
            {
                return new BackfillResult(BackfillOutcome.InputError, $"a backfill named {spec.Name} already exists for table {checkpoint.Table}; choose another --name");
            }

            end = checkpoint.EndKey ?? end;
        }

        var columns = string.Join(", ", key.Select(k => sql.Quote(k.Name)));
        var where = string.IsNullOrWhiteSpace(spec.Where) ? string.Empty : $" AND ({spec.Where})";
        var batch = Math.Clamp(spec.BatchSize, spec.MinBatchSize, spec.MaxBatchSize);
        var clock = Stopwatch.StartNew();
        long rowsThisRun = 0, scannedThisRun = 0;
        var lockTimeout = spec.LockTimeout > TimeSpan.Zero ? spec.LockTimeout : TimeSpan.FromSeconds(1);
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return new BackfillResult(BackfillOutcome.Stopped, Msg($"stopped after {Batches(checkpoint.Batches)} ({checkpoint.RowsDone:N0} rows); run the same command again to resume"), checkpoint.RowsDone, checkpoint.Batches);
            }

            var after = checkpoint.LastKey;
            var lower = after is null ? string.Empty : sql.RowCompare(key, ">", "a") + " AND ";
            var upperBound = sql.RowCompare(key, "<=", "e");
            var findUpper = $"SELECT {columns} FROM {table} WHERE {lower}{upperBound} ORDER BY {sql.OrderBy(key)} LIMIT 1 OFFSET {batch - 1}";
            var batchClock = Stopwatch.StartNew();
            IReadOnlyList<string> upper;
            long updated;
            var retries = 0;
            BackfillCheckpoint? moved = null;
            upper = [];
            updated = 0;
            while (true)
            {
                var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                try
                {
                    if (sql.LockTimeout(lockTimeout) is { } set)
                    {
                        await ExecAsync(connection, tx, set, ct).ConfigureAwait(false);
                    }

                    // the checkpoint row, locked for this batch, must still be where this run left it: a batch of
                    // a killed run can still be finishing on the server, or a second run with the same name
                    // works alongside; then continue from where that one got instead of redoing its rows
                    var current = await ReadCheckpointAsync(connection, sql, spec.Name, ct, tx, forUpdate: true).ConfigureAwait(false);
                    if (current is null)
                    {
                        await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        return new BackfillResult(BackfillOutcome.Failed, $"the checkpoint {spec.Name} was deleted while the backfill ran (a `down`, or by hand); run it again to start over", checkpoint.RowsDone, checkpoint.Batches);
                    }

                    if (current.State != checkpoint.State || !SameKey(current.LastKey, checkpoint.LastKey))
                    {
                        await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        moved = current;
                        break;
                    }

                    var parameters = Parameters(after, "a").Concat(Parameters(end, "e")).ToList();
                    upper = await KeyAsync(connection, tx, findUpper, parameters, ct).ConfigureAwait(false) ?? end;
                    var update = $"UPDATE {table} SET {spec.Set} WHERE {lower}{sql.RowCompare(key, "<=", "u")}{where}";
                    updated = await ExecAsync(connection, tx, update, ct, [.. Parameters(after, "a"), .. Parameters(upper, "u")]).ConfigureAwait(false);
                    var next = checkpoint with { LastKey = upper, RowsDone = checkpoint.RowsDone + updated, Batches = checkpoint.Batches + 1 };
                    var finished = upper.SequenceEqual(end, StringComparer.Ordinal);
                    if (finished)
                    {
                        next = next with { State = BackfillState.Done };
                    }

                    await WriteCheckpointAsync(connection, tx, sql, next, ct).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    checkpoint = next;
                    break;
                }
                catch (DbException ex) when (sql.IsLockTimeout(ex) && retries < spec.MaxRetries)
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    retries++;
                    batch = Math.Max(spec.MinBatchSize, batch / 2);
                    findUpper = $"SELECT {columns} FROM {table} WHERE {lower}{upperBound} ORDER BY {sql.OrderBy(key)} LIMIT 1 OFFSET {batch - 1}";
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 * Math.Pow(2, retries)) * (0.5 + (Random.Shared.NextDouble() / 2))), ct).ConfigureAwait(false);
                }
                catch
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    await tx.DisposeAsync().ConfigureAwait(false);
                }
            }

            if (moved is not null)
            {
                if (moved.State == BackfillState.Done)
                {
                    return new BackfillResult(BackfillOutcome.AlreadyDone, Msg($"backfill {spec.Name} was finished by another run ({moved.RowsDone:N0} rows in {Batches(moved.Batches)})"), moved.RowsDone, moved.Batches);
                }

                checkpoint = moved with { EndKey = end };
                continue;
            }

            rowsThisRun += updated;
            scannedThisRun += batch;
            var rate = clock.Elapsed.TotalSeconds > 0 ? scannedThisRun / clock.Elapsed.TotalSeconds : 0;
            progress?.Report(new BackfillProgress(checkpoint.RowsDone, scannedThisRun, checkpoint.Batches, batch, rate, estimate, clock.Elapsed));
            if (checkpoint.State == BackfillState.Done)
            {
                return new BackfillResult(BackfillOutcome.Done, Msg($"backfilled {checkpoint.RowsDone:N0} rows of {spec.Table} in {Batches(checkpoint.Batches)} ({rowsThisRun:N0} in this run, {clock.Elapsed.TotalSeconds:0.0} s)"), checkpoint.RowsDone, checkpoint.Batches);
            }

            if (spec.BatchTime is { } target && batchClock.Elapsed > TimeSpan.Zero)
            {
                // aim the next batch at the target duration: shrink fast (halve at most), grow slowly (1.25x at most),
                // so one lucky fast batch doesn't double the next past the target and hold writers' row locks longer
                var factor = Math.Clamp(target.TotalMilliseconds / batchClock.Elapsed.TotalMilliseconds, 0.5, 1.25);
                batch = Math.Clamp((int)(batch * factor), spec.MinBatchSize, spec.MaxBatchSize);
            }

            if (spec.Sleep > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(spec.Sleep, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // checked at the top of the loop
                }
            }
        }
    }

    /// <summary>Messages read the same on every machine: 1,234,567 rows and 0.4 s, whatever the culture.</summary>
    private static string Msg(FormattableString message) => FormattableString.Invariant(message);

    private static string Batches(long n) => n == 1 ? "1 batch" : n.ToString("N0", CultureInfo.InvariantCulture) + " batches";

    /// <summary>CREATE TABLE IF NOT EXISTS is not safe against itself on PostgreSQL: two runs starting together on
    /// a fresh database can both pass the check, and the second fails on the catalog's unique index (23505) or
    /// with 42P07. Either way the table is there.</summary>
    private static async Task CreateCheckpointTableAsync(DbConnection connection, IBackfillSql sql, CancellationToken ct)
    {
        try
        {
            await ExecAsync(connection, null, sql.CreateCheckpointTable(), ct).ConfigureAwait(false);
        }
        catch (DbException ex) when (sql.IsCreateRace(ex))
        {
            // created by the other run a moment ago
        }
    }

    private static bool SameKey(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b, StringComparer.Ordinal);

    private static IEnumerable<(string Name, string Value)> Parameters(IReadOnlyList<string>? values, string prefix) =>
        values is null ? [] : values.Select((v, i) => ($"@{prefix}{i}", v));

    private static async Task<int> ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, IEnumerable<(string Name, string Value)>? parameters = null)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters ?? [])
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<string>?> KeyAsync(DbConnection connection, DbTransaction? tx, string sql, IEnumerable<(string Name, string Value)> parameters, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var values = new string[reader.FieldCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Text(reader.GetValue(i));
        }

        return values;
    }

    private static string Text(object value) => value switch
    {
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static async Task<BackfillCheckpoint?> ReadCheckpointAsync(DbConnection connection, IBackfillSql sql, string name, CancellationToken ct, DbTransaction? tx = null, bool forUpdate = false)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql.ReadCheckpoint("table_name, state, last_key, end_key, rows_done, batches", forUpdate);
        var p = cmd.CreateParameter();
        p.ParameterName = "@name";
        p.Value = name;
        cmd.Parameters.Add(p);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        return new BackfillCheckpoint(
            name,
            reader.GetString(0),
            reader.GetString(1) == "done" ? BackfillState.Done : BackfillState.Running,
            reader.IsDBNull(2) ? null : Keys(reader.GetString(2)),
            reader.IsDBNull(3) ? null : Keys(reader.GetString(3)),
            Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture),
            Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture));
    }

    private static string[] Keys(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray();
    }

    private static string? KeysJson(IReadOnlyList<string>? keys)
    {
        if (keys is null)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var k in keys)
            {
                writer.WriteStringValue(k);
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task WriteCheckpointAsync(DbConnection connection, DbTransaction? tx, IBackfillSql sql, BackfillCheckpoint c, CancellationToken ct, bool ifAbsent = false)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = ifAbsent ? sql.InsertCheckpointIfAbsent() : sql.UpsertCheckpoint();
        void Add(string name, object? value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        Add("@name", c.Name);
        Add("@table", c.Table);
        Add("@state", c.State == BackfillState.Done ? "done" : "running");
        Add("@last", KeysJson(c.LastKey));
        Add("@end", KeysJson(c.EndKey));
        Add("@rows", c.RowsDone);
        Add("@batches", c.Batches);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
