using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Stepwise.Engines;

namespace Stepwise.Migrations.Backfill;

/// <summary>
/// A backfill of a table with no key at all, on an engine that can address its physical blocks
/// (<see cref="IBlockRangeBackfill"/>; PostgreSQL: ctid ranges): batches over block ranges [b, b+n) up to the table's size
/// in blocks read at the start, each one transaction that changes the rows and moves the checkpoint (the checkpoint's
/// keys are block numbers). When the end is reached the size is read again and the blocks appended meanwhile are walked
/// too (at most <see cref="MaxExtensions"/> times, so continuous inserts cannot keep it from finishing).
/// What is covered: every row that existed at the start and was not rewritten meanwhile stays where it is, below the
/// size read at the start, so it is visited. A row rewritten by an UPDATE gets a new place (possibly a block already
/// walked): its new version is whatever the writer wrote — for expand/contract the sync trigger made it right; for a
/// plain backfill it is the new release's write, as for rows inserted after the start. A row may be visited twice (its
/// new version lands in a block not yet walked), so the SET must give the same result applied twice, or the WHERE must
/// exclude rows already done (expand/contract's backfills do both).
/// </summary>
internal sealed class BackfillBlockLoop(DbConnection connection, IBackfillSql sql, IBlockRangeBackfill blocks, BackfillSpec spec, long? estimate, IProgress<BackfillProgress>? progress) : IBackfillWalk
{
    /// <summary>How many times the end moves to the size read again after reaching it.</summary>
    internal const int MaxExtensions = 3;

    public BackfillCheckpoint? Checkpoint { get; private set; }

    public async Task<BackfillResult> RunAsync(CancellationToken stop)
    {
        var ct = CancellationToken.None; // a batch in flight always finishes; `stop` is checked between batches
        await BackfillCheckpointStore.EnsureTableAsync(connection, sql, ct).ConfigureAwait(false);
        var checkpoint = Checkpoint = await BackfillCheckpointStore.ReadAsync(connection, sql, spec.Name, ct).ConfigureAwait(false);
        if (checkpoint is not null && BackfillLoop.Refused(checkpoint, spec) is { } refused)
        {
            return refused;
        }

        var size = await SizeAsync(null).ConfigureAwait(false);
        if (size is null)
        {
            return new BackfillResult(BackfillOutcome.InputError, $"table {spec.Table} does not exist");
        }

        var isNew = checkpoint is null;
        checkpoint ??= new BackfillCheckpoint(spec.Name, spec.Table, BackfillState.Running, null, Block(size.Value), 0, 0);
        checkpoint = checkpoint with { Set = BackfillCheckpointStore.SetOf(spec), Where = BackfillCheckpointStore.WhereOf(spec) };
        if (isNew && size == 0)
        {
            await BackfillCheckpointStore.WriteAsync(connection, null, sql, checkpoint with { State = BackfillState.Done }, ct).ConfigureAwait(false);
            return new BackfillResult(BackfillOutcome.Done, $"table {spec.Table} is empty: nothing to backfill");
        }

        if (isNew)
        {
            await BackfillCheckpointStore.WriteAsync(connection, null, sql, checkpoint, ct, ifAbsent: true).ConfigureAwait(false);
            var stored = await BackfillCheckpointStore.ReadAsync(connection, sql, spec.Name, ct).ConfigureAwait(false);
            if (stored is null)
            {
                return new BackfillResult(BackfillOutcome.Failed, $"the checkpoint {spec.Name} could not be written");
            }

            if (BackfillLoop.Refused(stored, spec, finishedBy: "another run") is { } refusedNow)
            {
                return refusedNow;
            }

            checkpoint = stored with { Set = checkpoint.Set, Where = checkpoint.Where };
        }

        Checkpoint = checkpoint;
        return await BatchesAsync(checkpoint, size.Value, stop).ConfigureAwait(false);
    }

    private async Task<BackfillResult> BatchesAsync(BackfillCheckpoint checkpoint, long sizeNow, CancellationToken stop)
    {
        var ct = CancellationToken.None;
        var table = sql.Table(spec.Table);
        var where = BackfillCheckpointStore.WhereOf(spec) is { } predicate ? $" AND ({predicate})" : string.Empty;
        var update = $"UPDATE {table} SET {spec.Set} WHERE {blocks.BlockRange("lo", "hi")}{where}";

        // the batch size is in rows; a batch walks the blocks that hold about that many
        var rowsPerBlock = Math.Max(1.0, (estimate ?? 0) / (double)Math.Max(1, sizeNow));
        var batch = Math.Clamp(spec.BatchSize, spec.MinBatchSize, spec.MaxBatchSize);
        var clock = Stopwatch.StartNew();
        long rowsThisRun = 0, scannedThisRun = 0;
        var extensions = 0;
        var lockTimeout = spec.LockTimeout > TimeSpan.Zero ? spec.LockTimeout : TimeSpan.FromSeconds(1);
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return new BackfillResult(BackfillOutcome.Stopped, BackfillLoop.Msg($"stopped after {BackfillLoop.Batches(checkpoint.Batches)} ({checkpoint.RowsDone:N0} rows); run the same command again to resume"), checkpoint.RowsDone, checkpoint.Batches);
            }

            var low = BlockOf(checkpoint.LastKey) ?? 0;
            var end = BlockOf(checkpoint.EndKey) ?? sizeNow;
            var high = Math.Min(end, low + Math.Max(1, (long)(batch / rowsPerBlock)));
            var batchClock = Stopwatch.StartNew();
            var retries = 0;
            long updated = 0;
            BackfillCheckpoint? moved = null;
            while (true)
            {
                var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                try
                {
                    if (sql.LockTimeout(lockTimeout) is { } set)
                    {
                        await Db.ExecAsync(connection, tx, set, ct).ConfigureAwait(false);
                    }

                    var current = await BackfillCheckpointStore.ReadAsync(connection, sql, spec.Name, ct, tx, forUpdate: true).ConfigureAwait(false);
                    if (current is null)
                    {
                        await tx.RollbackAsync(ct).ConfigureAwait(false);
                        return new BackfillResult(BackfillOutcome.Failed, $"the checkpoint {spec.Name} was deleted while the backfill ran (a `down`, or by hand); run it again to start over", checkpoint.RowsDone, checkpoint.Batches);
                    }

                    if (current.State != checkpoint.State || !Equals(current.LastKey, checkpoint.LastKey) || !Equals(current.EndKey, checkpoint.EndKey))
                    {
                        await tx.RollbackAsync(ct).ConfigureAwait(false);
                        moved = current;
                        break;
                    }

                    updated = high > low ? await Db.ExecAsync(connection, tx, update, ct, [("@lo", low), ("@hi", high)]).ConfigureAwait(false) : 0;
                    var next = checkpoint with { LastKey = Block(high), RowsDone = checkpoint.RowsDone + updated, Batches = checkpoint.Batches + 1 };
                    if (high >= end)
                    {
                        // the end: blocks appended since it was read are walked too, a bounded number of times
                        var grown = await SizeAsync(tx).ConfigureAwait(false) ?? end;
                        next = grown > end && extensions < MaxExtensions ? next with { EndKey = Block(grown) } : next with { State = BackfillState.Done };
                        extensions += grown > end ? 1 : 0;
                    }

                    await BackfillCheckpointStore.WriteAsync(connection, tx, sql, next, ct).ConfigureAwait(false);
                    await tx.CommitAsync(ct).ConfigureAwait(false);
                    checkpoint = Checkpoint = next;
                    break;
                }
                catch (DbException ex) when (sql.IsLockTimeout(ex) && retries < spec.MaxRetries)
                {
                    await tx.RollbackAsync(ct).ConfigureAwait(false);
                    retries++;
                    batch = Math.Max(spec.MinBatchSize, batch / 2);
                    high = Math.Max(low + 1, Math.Min(high, low + (long)(batch / rowsPerBlock)));
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 50 * Math.Pow(2, retries)) * (0.5 + (Random.Shared.NextDouble() / 2))), ct).ConfigureAwait(false);
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
                    return new BackfillResult(BackfillOutcome.AlreadyDone, BackfillLoop.Msg($"backfill {spec.Name} was finished by another run ({moved.RowsDone:N0} rows in {BackfillLoop.Batches(moved.Batches)})"), moved.RowsDone, moved.Batches);
                }

                checkpoint = Checkpoint = moved with { Set = checkpoint.Set, Where = checkpoint.Where };
                continue;
            }

            rowsThisRun += updated;
            scannedThisRun += (long)((high - low) * rowsPerBlock);
            var rate = clock.Elapsed.TotalSeconds > 0 ? scannedThisRun / clock.Elapsed.TotalSeconds : 0;
            progress?.Report(new BackfillProgress(checkpoint.RowsDone, scannedThisRun, checkpoint.Batches, batch, rate, estimate, clock.Elapsed));
            if (checkpoint.State == BackfillState.Done)
            {
                return new BackfillResult(BackfillOutcome.Done, BackfillLoop.Msg($"backfilled {checkpoint.RowsDone:N0} rows of {spec.Table} in {BackfillLoop.Batches(checkpoint.Batches)} over {BlockOf(checkpoint.EndKey):N0} blocks by {blocks.BlockKeyName} ranges, the table having no key ({rowsThisRun:N0} in this run, {clock.Elapsed.TotalSeconds:0.0} s)"), checkpoint.RowsDone, checkpoint.Batches);
            }

            batch = await BackfillPacing.AfterBatchAsync(spec, batch, batchClock, stop).ConfigureAwait(false);
        }
    }

    private async Task<long?> SizeAsync(DbTransaction? tx)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = blocks.BlockCount(spec.Table);
        var value = await cmd.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private static BackfillKey Block(long block) => BackfillKey.Of([block]);

    private static long? BlockOf(BackfillKey? key) => key is null ? null : Convert.ToInt64(key.Values[0], CultureInfo.InvariantCulture);
}
