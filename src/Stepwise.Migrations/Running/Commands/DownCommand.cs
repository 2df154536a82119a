using Stepwise.Migrations.ExpandContract;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Running.Execution;

namespace Stepwise.Migrations.Running.Commands;

/// <summary><c>down</c>: rolls back the newest applied migrations (or down to a version) with their down scripts.</summary>
internal static class DownCommand
{
    public static async Task<RunResult> RunAsync(RunnerSession session, int count, CancellationToken ct)
    {
        var options = session.Options;
        var engine = session.Engine;
        var statuses = Planner.Statuses(session.Set, session.Journal);
        var plan = Planner.PlanDown(session.Set, statuses, count, options.TargetVersion);
        if (plan.Problems.Count > 0)
        {
            return RunResult.Stopped(plan.Problems);
        }

        if (options.DryRun)
        {
            var steps = new List<PlannedStep>();
            foreach (var s in plan.Steps)
            {
                if (Planner.InFlight(s))
                {
                    steps.Add(new PlannedStep(s.Version, s.Name, MigrationDirection.Down, ExecutionMode.ExpandContract, EcPlanJson.Read(s.Journal!.Plan, out _)?.Abort.Count ?? 0, null));
                    continue;
                }

                var down = MigrationUnit.Build(s.File!, s.File!.Down!, engine.Dialect, engine.Server.PostgresMajor);
                steps.Add(await DryRun.StepAsync(session, down, MigrationDirection.Down, ct).ConfigureAwait(false));
            }

            return new RunResult(RunOutcome.Ok) { DryRun = true, Plan = steps };
        }

        var done = new List<string>();
        var notes = new List<RunNote>();
        foreach (var s in plan.Steps)
        {
            if (Planner.InFlight(s))
            {
                // `down` of an expand/contract migration in flight is its abort
                var aborted = await EcCommands.AbortOneAsync(session, s.Journal!, ct).ConfigureAwait(false);
                if (!aborted.IsDone)
                {
                    return UpCommand.Ended(aborted, done) with { Notes = notes };
                }

                notes.Add(aborted.Note!);
                done.Add(s.Version);
                continue;
            }

            var down = MigrationUnit.Build(s.File!, s.File!.Down!, engine.Dialect, engine.Server.PostgresMajor);
            var up = MigrationUnit.Build(s.File!, s.File!.Up, engine.Dialect, engine.Server.PostgresMajor);
            var run = new UnitRun(session, down, MigrationDirection.Down);
            run.Report(run.Event(RunnerEventKind.Starting) with { Table = down.Backfill?.Table });
            var outcome = await ExecutionStrategies.ForDown(up, down).DownAsync(run, up, ct).ConfigureAwait(false);
            if (!outcome.IsDone)
            {
                var ended = UpCommand.Ended(outcome, done);
                return ended with { Notes = [.. notes, .. ended.Notes] };
            }

            done.Add(s.Version);
        }

        return new RunResult(RunOutcome.Ok) { Done = done, Notes = notes };
    }
}
