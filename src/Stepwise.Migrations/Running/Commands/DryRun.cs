using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Commands;

/// <summary>A <c>--dry-run</c> step: what runs, and how (one transaction, statement by statement, or in batches).</summary>
internal static class DryRun
{
    public static async Task<PlannedStep> StepAsync(RunnerSession session, MigrationUnit unit, MigrationDirection direction, CancellationToken ct)
    {
        var mode = unit.IsExpandContract ? ExecutionMode.ExpandContract
            : unit.Backfill is not null || unit.BackfillError is not null ? ExecutionMode.Backfill
            : unit.InTransaction ? ExecutionMode.Transaction : ExecutionMode.StatementByStatement;
        var step = new PlannedStep(MigrationSet.JournalVersion(unit.Migration), unit.Migration.Name, direction, mode, unit.Statements.Count, unit.NoTransactionReason);
        if (unit.IsExpandContract)
        {
            return step with { ExpandContractProblem = unit.ExpandContractError };
        }

        if (unit.BackfillError is { } error)
        {
            return step with { InvalidBackfill = true, BackfillProblem = error };
        }

        if (unit.Backfill is { } spec)
        {
            var (plan, problem) = await BackfillRunner.PlanAsync(session.Engine, spec, ct).ConfigureAwait(false);
            return step with { Backfill = spec, BackfillPlan = plan, BackfillProblem = problem };
        }

        return step;
    }
}
