using Stepwise.Engines;
using Stepwise.Migrations.ExpandContract;
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
        var notes = new List<RunNote>();
        var inFlight = EcCommands.InFlight(session.Journal).ToList();
        foreach (var (step, unit) in units)
        {
            ct.ThrowIfCancellationRequested();
            var run = new UnitRun(session, unit, MigrationDirection.Up);
            if (Conflict(run.Version, unit, inFlight) is { } conflict)
            {
                // a table with an expand/contract migration in flight: both shapes are live until complete or abort
                return RunResult.Stopped(conflict) with { Done = done, Notes = notes, Statuses = plan.Statuses };
            }

            run.Report(run.Event(RunnerEventKind.Starting) with { Resuming = step.Resuming, StatementIndex = step.ResumeFrom });
            var outcome = await ExecutionStrategies.For(unit).UpAsync(run, step, ct).ConfigureAwait(false);
            if (!outcome.IsDone)
            {
                var ended = Ended(outcome, done);
                return ended with { Notes = [.. notes, .. ended.Notes], Statuses = plan.Statuses };
            }

            done.Add(run.Version);
            if (outcome.Note is { } note)
            {
                notes.Add(note);
            }

            if (outcome.Expanded is { } expanded)
            {
                // expanded now: later migrations of this run must not touch its tables either
                inFlight.RemoveAll(f => f.Row.Version == run.Version);
                inFlight.AddRange(EcCommands.InFlight([expanded]));
            }
        }

        return new RunResult(RunOutcome.Ok) { Done = done, Notes = notes, Statuses = plan.Statuses };
    }

    /// <summary>The first table of the unit that an expand/contract migration in flight (other than itself) touches.</summary>
    private static TableInFlight? Conflict(string version, MigrationUnit unit, IEnumerable<(JournalEntry Row, IReadOnlyList<string> Tables)> inFlight)
    {
        var tables = unit.ExpandContract?.Tables ?? unit.Tables;
        foreach (var (row, planTables) in inFlight.Where(f => f.Row.Version != version))
        {
            if (tables.FirstOrDefault(t => planTables.Any(p => EcCommands.SameTable(t, p))) is { } table)
            {
                return new TableInFlight(version, unit.Migration.Name, table, row.Version, row.Name, row.State);
            }
        }

        return null;
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
