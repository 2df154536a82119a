using System.Data.Common;
using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>
/// A <c>-- stepwise:backfill</c> file: journaled as running while its batches commit (each with its checkpoint),
/// so a killed or interrupted <c>up</c> resumes from the checkpoint on the next <c>up</c>. Its down is either a
/// plain script or itself a backfill; either way both checkpoints are forgotten before the journal row goes, so a
/// later <c>up</c> runs the backfill again instead of finding it finished.
/// </summary>
internal sealed class BackfillStrategy : IExecutionStrategy
{
    public async Task<UnitOutcome> UpAsync(UnitRun run, UpStep step, CancellationToken ct)
    {
        var unit = run.Unit;
        if (unit.Backfill is not { } spec)
        {
            // nothing ran: no journal row, nothing to repair; the file needs fixing (lint reports it as invalid-backfill)
            return new UnitOutcome(Problem: new InvalidBackfill(run.Version, run.Name, unit.BackfillError ?? "not a backfill file", Down: false));
        }

        await run.Engine.Journal.WriteAsync(run.Entry(JournalState.Running), ct).ConfigureAwait(false);
        var result = await BackfillRunner.RunAsync(run.Engine, run.Session.Target, spec, new Events(run, spec.Table), ct, connect: false).ConfigureAwait(false);
        if (result.Outcome is BackfillOutcome.Done or BackfillOutcome.AlreadyDone)
        {
            await run.Engine.Journal.WriteAsync(run.Entry(JournalState.Applied) with { StatementsDone = unit.Statements.Count, DurationMs = run.Clock.ElapsedMilliseconds }, ct).ConfigureAwait(false);
            run.Report(run.Event(RunnerEventKind.Finished) with { Elapsed = run.Clock.Elapsed, Table = spec.Table, BackfillResult = result });
            return UnitOutcome.Done;
        }

        if (result.Outcome == BackfillOutcome.Stopped)
        {
            return new UnitOutcome(Stopped: new StoppedBackfill(run.Version, run.Name, MigrationDirection.Up, result)); // still running: the next `up` resumes it
        }

        var record = FailureRecord.Journaled;
        try
        {
            await run.Engine.Journal.WriteAsync(run.Entry(JournalState.Failed) with { Error = result.Message, FailedStatementIndex = 0, FailedStatement = unit.Statements.FirstOrDefault() }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // the session is gone too: the row still says running, and the next `up` resumes from the checkpoint
            record = FailureRecord.NotWritten;
        }

        return new UnitOutcome(Failed(run, result, record));
    }

    public async Task<UnitOutcome> DownAsync(UnitRun run, MigrationUnit up, CancellationToken ct)
    {
        var down = run.Unit;
        if (down.BackfillError is { } error)
        {
            return new UnitOutcome(Problem: new InvalidBackfill(run.Version, run.Name, error, Down: true));
        }

        if (down.Backfill is not { } spec)
        {
            // a plain down undoes an up backfill: forget its checkpoint first (a run killed after this only leaves
            // the migration applied, and `down` again redoes it), then the down commits with the journal row's removal
            var forgotten = await ForgetAsync(run, [up.Backfill?.Name], ct).ConfigureAwait(false);
            return forgotten ?? await ExecutionStrategies.For(down).DownAsync(run, up, ct).ConfigureAwait(false);
        }

        if (string.Equals(spec.Name, up.Backfill?.Name, StringComparison.Ordinal))
        {
            return new UnitOutcome(Problem: new BackfillNameClash(run.Version, run.Name, spec.Name));
        }

        var result = await BackfillRunner.RunAsync(run.Engine, run.Session.Target, spec, new Events(run, spec.Table), ct, connect: false).ConfigureAwait(false);
        if (result.Outcome is not (BackfillOutcome.Done or BackfillOutcome.AlreadyDone))
        {
            return result.Outcome == BackfillOutcome.Stopped
                ? new UnitOutcome(Stopped: new StoppedBackfill(run.Version, run.Name, MigrationDirection.Down, result))
                : new UnitOutcome(Failed(run, result, FailureRecord.Untouched));
        }

        // both checkpoints go before the journal row: a later `up` must not find the backfill finished
        var problem = await ForgetAsync(run, [up.Backfill?.Name, spec.Name], ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        await run.Engine.Journal.DeleteAsync(run.Version, ct).ConfigureAwait(false);
        run.Report(run.Event(RunnerEventKind.Finished) with { Elapsed = run.Clock.Elapsed, Table = spec.Table, BackfillResult = result });
        return UnitOutcome.Done;
    }

    private static MigrationFailure Failed(UnitRun run, BackfillResult result, FailureRecord record)
    {
        // the database's classification when it raised the failure; otherwise the backfill refused the file (no primary key …)
        var failure = new MigrationFailure(run.Version, run.Name, run.Direction, ExecutionMode.Backfill, 0, run.Unit.Statements.Count, run.Unit.Statements.FirstOrDefault(),
            result.Outcome == BackfillOutcome.ConnectionLost ? ErrorKind.ConnectionLost : result.ErrorKind ?? ErrorKind.Statement, result.SqlState, result.Message, 0, 0, record)
        { Backfill = result };
        run.Report(run.Event(RunnerEventKind.Failed) with { Failure = failure });
        return failure;
    }

    private static async Task<UnitOutcome?> ForgetAsync(UnitRun run, string?[] names, CancellationToken ct)
    {
        try
        {
            foreach (var name in names.OfType<string>())
            {
                await BackfillRunner.ForgetAsync(run.Engine, name, ct).ConfigureAwait(false);
            }

            return null;
        }
        catch (DbException ex)
        {
            var failure = new MigrationFailure(run.Version, run.Name, run.Direction, ExecutionMode.Backfill, null, run.Unit.Statements.Count, null, ErrorKind.Statement, ex.SqlState,
                "could not clear the backfill checkpoint: " + run.Session.Target.Scrub(ex.Message), 0, 0, FailureRecord.Untouched);
            return new UnitOutcome(failure);
        }
    }

    /// <summary>A backfill's progress as runner events; the CLI decides how often to print them.</summary>
    private sealed class Events(UnitRun run, string table) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => run.Report(run.Event(RunnerEventKind.BackfillProgress) with { Table = table, Backfill = value });
    }
}
