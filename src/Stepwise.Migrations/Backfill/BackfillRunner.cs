using System.Data.Common;
using Stepwise.Engines;

namespace Stepwise.Migrations.Backfill;

/// <summary>
/// Changes every row of a live table in keyset batches on its primary key, one transaction (and one
/// checkpoint write) per batch, never OFFSET over the table, so throughput stays flat as the table grows.
/// Rows are processed up to the largest key that existed when the backfill started: rows inserted later are
/// written by the new application code, and the loop always ends. Each batch waits at most the lock timeout
/// for application row locks, then retries smaller. The batches are <see cref="BackfillLoop"/>'s, the
/// checkpoint table <see cref="BackfillCheckpointStore"/>'s, the checkpoint keys <see cref="BackfillKey"/>'s.
/// </summary>
public static class BackfillRunner
{
    /// <summary>Connects the engine and runs (or resumes) the backfill up to its end key. Database errors are returned in
    /// the result, never thrown; cancelling <paramref name="ct"/> during the batches stops after the batch in flight (outcome Stopped).</summary>
    /// <param name="engine">The engine for the database, not yet connected.</param>
    /// <param name="target">The database, for scrubbing its password from messages.</param>
    /// <param name="spec">What to change and how gently.</param>
    /// <param name="progress">Told after each batch (null: no reports).</param>
    /// <param name="ct">Stops the backfill after the batch in flight commits.</param>
    public static Task<BackfillResult> RunAsync(IEngine engine, DatabaseTarget target, BackfillSpec spec, IProgress<BackfillProgress>? progress, CancellationToken ct) =>
        RunAsync(engine, target, spec, progress, ct, connect: true);

    /// <summary>With <paramref name="connect"/> false the engine is already connected (the migration runner's).</summary>
    internal static async Task<BackfillResult> RunAsync(IEngine engine, DatabaseTarget target, BackfillSpec spec, IProgress<BackfillProgress>? progress, CancellationToken ct, bool connect)
    {
        IBackfillWalk? loop = null;
        var connected = !connect;
        try
        {
            if (connect)
            {
                await engine.ConnectAsync(ct).ConfigureAwait(false);
                connected = true;
            }

            var (key, blocks) = await KeyAsync(engine, spec.Table, ct).ConfigureAwait(false);
            if (key.Count == 0 && blocks is null)
            {
                return new BackfillResult(BackfillOutcome.InputError, NoKey(spec.Table));
            }

            var estimate = await engine.Catalog.EstimateRowsAsync(spec.Table, ct).ConfigureAwait(false);
            var connection = await engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                loop = blocks is null
                    ? new BackfillLoop(connection, engine.Backfill, spec, key, estimate, progress)
                    : new BackfillBlockLoop(connection, engine.Backfill, blocks, spec, estimate, progress);
                return await loop.RunAsync(ct).ConfigureAwait(false);
            }
        }
        catch (EngineException ex) when (ex.Kind != ErrorKind.ConnectionLost || !connected)
        {
            // could not connect (a usage error: the URL), or the database refused: nothing was changed
            return new BackfillResult(ex.Kind == ErrorKind.ConnectionLost ? BackfillOutcome.InputError : BackfillOutcome.Failed, target.Scrub(ex.Message)) { ErrorKind = ex.Kind, SqlState = ex.SqlState };
        }
        catch (Exception ex) when (ex is EngineException || (loop is not null && ex is not OperationCanceledException && engine.Backfill.IsConnectionLost(ex)))
        {
            var c = loop?.Checkpoint;
            var progressText = c is null
                ? "before the first batch"
                : BackfillLoop.Msg($"after {BackfillLoop.Batches(c.Batches)} ({c.RowsDone:N0} rows)");
            return new BackfillResult(
                BackfillOutcome.ConnectionLost,
                $"the connection to the database was lost {progressText}: {target.Scrub(ex.Message)}; the batch in flight was rolled back with its checkpoint, run the same command again to resume",
                c?.RowsDone ?? 0,
                c?.Batches ?? 0)
            { ErrorKind = ErrorKind.ConnectionLost, SqlState = (ex as EngineException)?.SqlState ?? (ex as DbException)?.SqlState };
        }
        catch (DbException ex)
        {
            var kind = engine.Backfill.IsLockTimeout(ex) ? ErrorKind.LockTimeout : ErrorKind.Statement;
            return new BackfillResult(BackfillOutcome.Failed, target.Scrub(ex.Message), loop?.Checkpoint?.RowsDone ?? 0, loop?.Checkpoint?.Batches ?? 0) { ErrorKind = kind, SqlState = ex.SqlState };
        }
        catch (FormatException ex)
        {
            return new BackfillResult(BackfillOutcome.Failed, $"the checkpoint {spec.Name} in stepwise_backfills cannot be read ({ex.Message}); delete its row to start the backfill over");
        }
    }

    /// <summary>Forgets a backfill's checkpoint, so the same name runs again (after `down` undid the change).</summary>
    public static async Task ForgetAsync(IEngine engine, string name, CancellationToken ct)
    {
        var connection = await engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await BackfillCheckpointStore.DeleteAsync(connection, engine.Backfill, name, ct).ConfigureAwait(false);
        }
    }

    /// <summary>What a run would do, without changing anything: the key it would walk, the row estimate, and the
    /// checkpoint it would resume from. Null plan with a reason when it could not run.</summary>
    public static async Task<(BackfillPlan? Plan, string? Problem)> PlanAsync(IEngine engine, BackfillSpec spec, CancellationToken ct)
    {
        var (key, blocks) = await KeyAsync(engine, spec.Table, ct).ConfigureAwait(false);
        if (key.Count == 0 && blocks is null)
        {
            return (null, NoKey(spec.Table));
        }

        if (blocks is not null)
        {
            key = [new KeyColumn(blocks.BlockKeyName, "block ranges (no primary key or unique NOT NULL key)")];
        }

        var estimate = await engine.Catalog.EstimateRowsAsync(spec.Table, ct).ConfigureAwait(false);
        BackfillCheckpoint? checkpoint = null;
        var connection = await engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                checkpoint = await BackfillCheckpointStore.ReadAsync(connection, engine.Backfill, spec.Name, ct).ConfigureAwait(false);
            }
            catch (DbException)
            {
                // no checkpoint table yet: nothing was ever backfilled here
            }
        }

        if (checkpoint is not null && BackfillCheckpointStore.Mismatch(checkpoint, spec) is { } clash)
        {
            return (null, clash);
        }

        return (new BackfillPlan(key, estimate, spec.BatchSize, spec.BatchTime, checkpoint), null);
    }

    /// <summary>The key a backfill of <paramref name="table"/> walks: its primary key; else the narrowest unique index
    /// whose columns are all NOT NULL (<see cref="IUniqueKeyCatalog"/>); else, where the engine can, block ranges
    /// (<see cref="IBlockRangeBackfill"/>: the key is empty and the blocks ability is returned); else nothing.</summary>
    internal static async Task<(IReadOnlyList<KeyColumn> Key, IBlockRangeBackfill? Blocks)> KeyAsync(IEngine engine, string table, CancellationToken ct)
    {
        var key = await engine.Catalog.PrimaryKeyAsync(table, ct).ConfigureAwait(false);
        if (key.Count == 0 && engine.Catalog is IUniqueKeyCatalog unique)
        {
            key = await unique.UniqueNotNullKeyAsync(table, ct).ConfigureAwait(false);
        }

        return key.Count > 0 ? (key, null) : ([], engine.Backfill as IBlockRangeBackfill);
    }

    internal static string NoKey(string table) =>
        $"table {table} has no primary key and no unique index whose columns are all NOT NULL (or does not exist): a backfill walks the table in key order. Add a primary key, or a unique index on NOT NULL columns, first";
}
