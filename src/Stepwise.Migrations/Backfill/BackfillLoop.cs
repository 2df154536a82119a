using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Stepwise.Engines;

namespace Stepwise.Migrations.Backfill;

/// <summary>
/// One run of a backfill on its data connection: finds or creates the checkpoint, then walks the key in batches,
/// each one transaction that changes the rows and moves the checkpoint. Dialect-free: every piece of SQL comes
/// from <see cref="IBackfillSql"/>, every key value goes to the database as a typed parameter, and the database
/// does every key comparison.
/// </summary>
internal sealed class BackfillLoop(DbConnection connection, IBackfillSql sql, BackfillSpec spec, IReadOnlyList<KeyColumn> key, long? estimate, IProgress<BackfillProgress>? progress) : IBackfillWalk
{
    /// <summary>The checkpoint as last committed by this run (or read from the database), for a report after a failure.</summary>
    public BackfillCheckpoint? Checkpoint { get; private set; }

    public async Task<BackfillResult> RunAsync(CancellationToken stop)
    {
        var ct = CancellationToken.None; // a batch in flight always finishes; `stop` is checked between batches
        await BackfillCheckpointStore.EnsureTableAsync(connection, sql, ct).ConfigureAwait(false);
        var checkpoint = Checkpoint = await BackfillCheckpointStore.ReadAsync(connection, sql, spec.Name, ct).ConfigureAwait(false);
        if (checkpoint is not null && Refused(checkpoint, spec) is { } refused)
        {
            return refused;
        }

        var table = sql.Table(spec.Table);
        var columns = string.Join(", ", key.Select(k => sql.Quote(k.Name)));
        var end = checkpoint?.EndKey ?? await Db.KeyAsync(connection, null, $"SELECT {columns} FROM {table} ORDER BY {sql.OrderBy(key, descending: true)} LIMIT 1", [], ct).ConfigureAwait(false);
        var isNew = checkpoint is null;
        checkpoint ??= new BackfillCheckpoint(spec.Name, spec.Table, BackfillState.Running, null, end, 0, 0);

        // recorded with every write, so the name stays bound to this table, SET and WHERE (a checkpoint of the
        // previous release gets them with its next batch)
        checkpoint = checkpoint with { Set = BackfillCheckpointStore.SetOf(spec), Where = BackfillCheckpointStore.WhereOf(spec) };
        if (end is null)
        {
            await BackfillCheckpointStore.WriteAsync(connection, null, sql, checkpoint with { State = BackfillState.Done }, ct).ConfigureAwait(false);
            return new BackfillResult(BackfillOutcome.Done, $"table {spec.Table} is empty: nothing to backfill");
        }

        if (isNew)
        {
            // a new checkpoint, inserted only if no other run inserted one meanwhile; then the stored row is the truth
            await BackfillCheckpointStore.WriteAsync(connection, null, sql, checkpoint, ct, ifAbsent: true).ConfigureAwait(false);
            var stored = await BackfillCheckpointStore.ReadAsync(connection, sql, spec.Name, ct).ConfigureAwait(false);
            if (stored is null)
            {
                return new BackfillResult(BackfillOutcome.Failed, $"the checkpoint {spec.Name} could not be written");
            }

            if (Refused(stored, spec, finishedBy: "another run") is { } refusedNow)
            {
                return refusedNow;
            }

            checkpoint = stored with { Set = checkpoint.Set, Where = checkpoint.Where };
            end = stored.EndKey ?? end;
        }

        Checkpoint = checkpoint;
        return await BatchesAsync(checkpoint, end, stop).ConfigureAwait(false);
    }

    private async Task<BackfillResult> BatchesAsync(BackfillCheckpoint checkpoint, BackfillKey end, CancellationToken stop)
    {
        var ct = CancellationToken.None;
        var table = sql.Table(spec.Table);
        var columns = string.Join(", ", key.Select(k => sql.Quote(k.Name)));
        var where = BackfillCheckpointStore.WhereOf(spec) is { } predicate ? $" AND ({predicate})" : string.Empty;
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
            var batchClock = Stopwatch.StartNew();
            var retries = 0;
            long updated = 0;
            BackfillCheckpoint? moved = null;
            while (true)
            {
                var findUpper = $"SELECT {columns} FROM {table} WHERE {lower}{upperBound} ORDER BY {sql.OrderBy(key)} LIMIT 1 OFFSET {batch - 1}";
                var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                try
                {
                    if (sql.LockTimeout(lockTimeout) is { } set)
                    {
                        await Db.ExecAsync(connection, tx, set, ct).ConfigureAwait(false);
                    }

                    // the checkpoint row, locked for this batch, must still be where this run left it: a batch of
                    // a killed run can still be finishing on the server, or a second run with the same name
                    // works alongside; then continue from where that one got instead of redoing its rows
                    var current = await BackfillCheckpointStore.ReadAsync(connection, sql, spec.Name, ct, tx, forUpdate: true).ConfigureAwait(false);
                    if (current is null)
                    {
                        await RollbackAsync(tx).ConfigureAwait(false);
                        return new BackfillResult(BackfillOutcome.Failed, $"the checkpoint {spec.Name} was deleted while the backfill ran (a `down`, or by hand); run it again to start over", checkpoint.RowsDone, checkpoint.Batches);
                    }

                    if (BackfillCheckpointStore.Mismatch(current, spec) is { } clash)
                    {
                        await RollbackAsync(tx).ConfigureAwait(false);
                        return new BackfillResult(BackfillOutcome.InputError, clash, checkpoint.RowsDone, checkpoint.Batches);
                    }

                    if (current.State != checkpoint.State || !Equals(current.LastKey, checkpoint.LastKey))
                    {
                        await RollbackAsync(tx).ConfigureAwait(false);
                        moved = current;
                        break;
                    }

                    // the batch's last key, or none when fewer rows than a batch are left: then this batch ends at
                    // the end key, and the backfill is finished (the database compared; here only exact equality)
                    var found = await Db.KeyAsync(connection, tx, findUpper, [.. Db.Parameters(after, "a"), .. Db.Parameters(end, "e")], ct).ConfigureAwait(false);
                    var upper = found ?? end;
                    var update = $"UPDATE {table} SET {spec.Set} WHERE {lower}{sql.RowCompare(key, "<=", "u")}{where}";
                    updated = await Db.ExecAsync(connection, tx, update, ct, [.. Db.Parameters(after, "a"), .. Db.Parameters(upper, "u")]).ConfigureAwait(false);
                    var next = checkpoint with { LastKey = upper, RowsDone = checkpoint.RowsDone + updated, Batches = checkpoint.Batches + 1 };
                    if (found is null || found.Equals(end))
                    {
                        next = next with { State = BackfillState.Done };
                    }

                    await BackfillCheckpointStore.WriteAsync(connection, tx, sql, next, ct).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    checkpoint = Checkpoint = next;
                    break;
                }
                catch (DbException ex) when (sql.IsLockTimeout(ex) && retries < spec.MaxRetries)
                {
                    await RollbackAsync(tx).ConfigureAwait(false);
                    retries++;
                    batch = Math.Max(spec.MinBatchSize, batch / 2);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 * Math.Pow(2, retries)) * (0.5 + (Random.Shared.NextDouble() / 2))), ct).ConfigureAwait(false);
                }
                catch
                {
                    // the error that ended the batch is the one to report, not a rollback on a dead connection
                    await RollbackAsync(tx).ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    await DisposeAsync(tx).ConfigureAwait(false);
                }
            }

            if (moved is not null)
            {
                if (moved.State == BackfillState.Done)
                {
                    return new BackfillResult(BackfillOutcome.AlreadyDone, Msg($"backfill {spec.Name} was finished by another run ({moved.RowsDone:N0} rows in {Batches(moved.Batches)})"), moved.RowsDone, moved.Batches);
                }

                checkpoint = Checkpoint = moved with { EndKey = end, Set = checkpoint.Set, Where = checkpoint.Where };
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

            batch = await BackfillPacing.AfterBatchAsync(spec, batch, batchClock, stop).ConfigureAwait(false);
        }
    }

    /// <summary>Messages read the same on every machine: 1,234,567 rows and 0.4 s, whatever the culture.</summary>
    internal static string Msg(FormattableString message) => FormattableString.Invariant(message);

    internal static string Batches(long n) => n == 1 ? "1 batch" : n.ToString("N0", CultureInfo.InvariantCulture) + " batches";

    /// <summary>The result when this run must not go on with <paramref name="checkpoint"/>: it belongs to another
    /// table, SET or WHERE, or it is finished.</summary>
    internal static BackfillResult? Refused(BackfillCheckpoint checkpoint, BackfillSpec spec, string? finishedBy = null)
    {
        if (BackfillCheckpointStore.Mismatch(checkpoint, spec) is { } clash)
        {
            return new BackfillResult(BackfillOutcome.InputError, clash);
        }

        if (checkpoint.State != BackfillState.Done)
        {
            return null;
        }

        var message = finishedBy is null
            ? Msg($"backfill {spec.Name} already finished ({checkpoint.RowsDone:N0} rows in {Batches(checkpoint.Batches)}); nothing to do")
            : Msg($"backfill {spec.Name} was finished by {finishedBy} ({checkpoint.RowsDone:N0} rows in {Batches(checkpoint.Batches)})");
        return new BackfillResult(BackfillOutcome.AlreadyDone, message, checkpoint.RowsDone, checkpoint.Batches);
    }

    /// <summary>Rolls back; on a connection that is gone the rollback fails too, and that failure must not hide
    /// the error that ended the batch (the server rolled the transaction back with the connection anyway).</summary>
    private static async Task RollbackAsync(DbTransaction tx)
    {
        try
        {
            await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // reported by the caller: the original error
        }
    }

    private static async Task DisposeAsync(DbTransaction tx)
    {
        try
        {
            await tx.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // as above
        }
    }
}

/// <summary>One run of a backfill: keyset batches (<see cref="BackfillLoop"/>) or block ranges (<see cref="BackfillBlockLoop"/>).</summary>
internal interface IBackfillWalk
{
    /// <summary>The checkpoint as last committed by this run (or read from the database), for a report after a failure.</summary>
    BackfillCheckpoint? Checkpoint { get; }

    Task<BackfillResult> RunAsync(CancellationToken stop);
}
