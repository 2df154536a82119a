using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Running.Execution;

namespace Stepwise.Migrations.Running.Commands;

/// <summary><c>up</c>: plan, lint gate, then each step with its strategy; stops at the first failure.</summary>
internal static class UpCommand
{
    public static async Task<RunResult> RunAsync(RunnerSession session, CancellationToken ct)
    {
        var options = session.Options;
        var engine = session.Engine;
        if (await OtherToolCheck.FindAsync(session, ct).ConfigureAwait(false) is { } other)
        {
            return RunResult.Stopped(other);
        }

        var plan = Planner.PlanUp(session.Set, session.Journal, options.TargetVersion, options.AllowOutOfOrder);
        if (plan.Problems.Count > 0)
        {
            return RunResult.Stopped(plan.Problems) with { Statuses = plan.Statuses };
        }

        if (!options.AllowUnsafe && plan.Steps.Count > 0)
        {
            var lint = options.Lint with { Dialect = engine.Dialect, PgVersion = engine.Server.PostgresMajor > 0 ? engine.Server.PostgresMajor : options.Lint.PgVersion };
            if (LintGate.Check(session.Set, plan.Steps.Select(s => s.Migration), lint) is { } refusal)
            {
                return RunResult.Stopped(refusal) with { Statuses = plan.Statuses };
            }
        }

        var units = plan.Steps.Select(s => (Step: s, Unit: MigrationUnit.Build(s.Migration, s.Migration.Up, engine.Dialect, engine.Server.PostgresMajor))).ToList();
        if (options.DryRun)
        {
            var steps = new List<PlannedStep>();
            foreach (var (_, unit) in units)
            {
                steps.Add(await DryRun.StepAsync(session, unit, MigrationDirection.Up, ct).ConfigureAwait(false));
            }

            return new RunResult(RunOutcome.Ok) { DryRun = true, Plan = steps, Statuses = plan.Statuses };
        }

        var done = new List<string>();
        foreach (var (step, unit) in units)
        {
            ct.ThrowIfCancellationRequested();
            var run = new UnitRun(session, unit, MigrationDirection.Up);
            run.Report(run.Event(RunnerEventKind.Starting) with { Resuming = step.Resuming, StatementIndex = step.ResumeFrom });
            var outcome = await ExecutionStrategies.For(unit).UpAsync(run, step, ct).ConfigureAwait(false);
            if (!outcome.IsDone)
            {
                return Ended(outcome, done) with { Statuses = plan.Statuses };
            }

            done.Add(run.Version);
        }

        return new RunResult(RunOutcome.Ok) { Done = done, Statuses = plan.Statuses };
    }

    /// <summary>The result of a run that stopped at a unit.</summary>
    internal static RunResult Ended(UnitOutcome outcome, IReadOnlyList<string> done) => new(RunOutcome.ActionNeeded)
    {
        Failure = outcome.Failure,
        Problems = outcome.Problem is { } p ? [p] : [],
        Notes = outcome.Stopped is { } s ? [s] : [],
        Done = done,
    };
}
