using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Running.Execution;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>
/// <c>up</c> of a <c>-- stepwise:expand-contract</c> file: the engine plans the file's changes (once: a rerun after a
/// crash reads the plan stored on the journal row and never plans again), the expand steps run with progress, then
/// the plan's backfills through the resumable backfill runner, and the row ends <c>expanded</c>. Its <c>down</c>
/// (of an expanded or interrupted migration) is <c>abort</c>.
/// </summary>
internal sealed class ExpandStrategy : IExecutionStrategy
{
    public async Task<UnitOutcome> UpAsync(UnitRun run, UpStep step, CancellationToken ct)
    {
        var session = run.Session;
        var unit = run.Unit;
        if (unit.ExpandContract is not { } file)
        {
            return new UnitOutcome(Problem: new InvalidExpandContract(run.Version, run.Name, unit.ExpandContractError ?? "not an expand/contract file"));
        }

        if (session.Engine.Ability<IExpandContractSql>() is not { } sql)
        {
            return new UnitOutcome(Problem: new ExpandContractUnsupported(run.Version, run.Name, session.Engine.Dialect));
        }

        var existing = session.Journal.FirstOrDefault(j => j.Version == run.Version);
        EcPlan plan;
        var from = 0;
        if (existing is { State: JournalState.Running, Plan: not null })
        {
            // a rerun after a crash: exactly the stored plan, from the first step not recorded
            if (EcPlanJson.Read(existing.Plan, out var problem) is not { } stored)
            {
                return new UnitOutcome(Problem: new UnreadablePlan(run.Version, run.Name, problem!));
            }

            plan = stored;
            from = Math.Min(existing.StatementsDone, plan.Expand.Count);
        }
        else
        {
            try
            {
                plan = await sql.PlanAsync(ExpandContractDirective.IdOf(run.Version), file.Changes, ct).ConfigureAwait(false);
            }
            catch (EcPlanException ex)
            {
                return new UnitOutcome(Problem: new ExpandContractRefused(run.Version, run.Name, session.Target.Scrub(ex.Message)));
            }
        }

        var ec = new EcRun(session, run.Entry(JournalState.Running) with { Plan = EcPlanJson.Write(plan) }, plan, EcPhase.Expand);
        if (await ec.RunStepsAsync(from, ct).ConfigureAwait(false) is { } failure)
        {
            return new UnitOutcome(failure);
        }

        for (var n = 0; n < plan.Backfills.Count; n++)
        {
            var b = plan.Backfills[n];
            var spec = new BackfillSpec(ExpandContractDirective.BackfillName(run.Version, n), b.Table, b.Set, b.Where, BackfillSpec.DefaultBatchSize, session.Options.BackfillBatchTime, TimeSpan.Zero, BackfillSpec.DefaultLockTimeout) { NiceRatio = session.Options.BackfillNiceRatio };
            var result = await BackfillRunner.RunAsync(session.Engine, session.Target, spec, new Events(ec, b.Table), ct, connect: false).ConfigureAwait(false);
            if (result.Outcome is BackfillOutcome.Done or BackfillOutcome.AlreadyDone)
            {
                continue;
            }

            if (result.Outcome == BackfillOutcome.Stopped)
            {
                return new UnitOutcome(Stopped: new StoppedBackfill(run.Version, run.Name, MigrationDirection.Up, result)); // the next `up` resumes it
            }

            var kind = result.Outcome == BackfillOutcome.ConnectionLost ? ErrorKind.ConnectionLost : result.ErrorKind ?? ErrorKind.Statement;
            var what = $"backfill {b.Table} SET {b.Set}{(b.Where is null ? string.Empty : " WHERE " + b.Where)}";
            return new UnitOutcome(await ec.FailAsync(kind, result.SqlState, result.Message, plan.Expand.Count, null, what, 0, result).ConfigureAwait(false));
        }

        var expanded = ec.Row(JournalState.Expanded, plan.Expand.Count);
        await session.Engine.Journal.WriteAsync(expanded, ct).ConfigureAwait(false);
        ec.Report(ec.Event(RunnerEventKind.Finished) with { Elapsed = ec.Clock.Elapsed });
        return new UnitOutcome(Note: new MigrationExpanded(run.Version, run.Name), Expanded: expanded);
    }

    /// <summary>Reached only for a down file that itself has the directive (an expanded migration's `down` is its
    /// abort, which <c>down</c> runs directly): such a file cannot run.</summary>
    public Task<UnitOutcome> DownAsync(UnitRun run, MigrationUnit up, CancellationToken ct) =>
        Task.FromResult(new UnitOutcome(Problem: new InvalidExpandContract(run.Version, run.Name, run.Unit.ExpandContractError ?? "not an expand/contract file")));

    /// <summary>A backfill's progress as runner events.</summary>
    private sealed class Events(EcRun run, string table) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => run.Report(run.Event(RunnerEventKind.BackfillProgress) with { Table = table, Backfill = value });
    }
}
