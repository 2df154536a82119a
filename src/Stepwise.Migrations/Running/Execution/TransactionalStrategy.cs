using Stepwise.Engines;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>All statements and the journal change in one transaction (one pipelined round trip on PostgreSQL):
/// either everything is applied and recorded, or nothing is. A lock timeout rolls back and retries the whole unit.</summary>
internal sealed class TransactionalStrategy : IExecutionStrategy
{
    public async Task<UnitOutcome> UpAsync(UnitRun run, UpStep step, CancellationToken ct)
    {
        var unit = run.Unit;
        var weak = unit.UsesWeakLock.Count > 0 && unit.UsesWeakLock.All(w => w);
        var retries = 0;
        try
        {
            retries = await run.Retry.RunAsync(
                () => run.Engine.Executor.ExecuteInTransactionAsync(unit.Statements, JournalChange.Record(run.Entry(JournalState.Applied) with { DurationMs = run.Clock.ElapsedMilliseconds }), run.Limits(weak), ct),
                (attempt, delay, ex) =>
                {
                    retries = attempt;
                    run.Retrying(null, attempt, delay, weak); // the whole unit is retried
                },
                ct).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            // rolled back: only a statement's own error is worth journaling (a lock timeout or a lost connection
            // left nothing half-done, and the next `up` simply retries)
            return new UnitOutcome(await run.FailAsync(ex, ex.StatementIndex, 0, journal: ex.Kind is not (ErrorKind.LockTimeout or ErrorKind.ConnectionLost), retries).ConfigureAwait(false));
        }

        run.Finished();
        return UnitOutcome.Done;
    }

    public async Task<UnitOutcome> DownAsync(UnitRun run, MigrationUnit up, CancellationToken ct)
    {
        var retries = 0;
        try
        {
            await run.Retry.RunAsync(
                () => run.Engine.Executor.ExecuteInTransactionAsync(run.Unit.Statements, JournalChange.Remove(run.Version), run.Limits(false), ct),
                (attempt, delay, ex) =>
                {
                    retries = attempt;
                    run.Retrying(null, attempt, delay, weak: false); // the whole unit is retried
                },
                ct).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            return new UnitOutcome(await run.FailAsync(ex, ex.StatementIndex, 0, journal: false, retries).ConfigureAwait(false));
        }

        run.Finished();
        return UnitOutcome.Done;
    }
}
