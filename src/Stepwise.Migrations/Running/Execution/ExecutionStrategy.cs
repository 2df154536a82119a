using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>How one unit ended: done, failed (journaled as the failure says), stopped by a problem before
/// anything ran, or stopped between backfill batches at Ctrl-C (resumable). A done unit may carry a note (expand/contract:
/// expanded, aborted).</summary>
internal sealed record UnitOutcome(MigrationFailure? Failure = null, RunProblem? Problem = null, StoppedBackfill? Stopped = null, RunNote? Note = null, Stepwise.Engines.JournalEntry? Expanded = null)
{
    public static readonly UnitOutcome Done = new();

    public bool IsDone => Failure is null && Problem is null && Stopped is null;
}

/// <summary>One execution mode: how a unit's statements reach the database, how progress is journaled and how
/// a failure is recorded. <see cref="ExecutionStrategies.For"/> picks the mode from the unit.</summary>
internal interface IExecutionStrategy
{
    /// <summary>Applies the unit (its up script), resuming at <see cref="UpStep.ResumeFrom"/> where the mode can.</summary>
    Task<UnitOutcome> UpAsync(UnitRun run, UpStep step, CancellationToken ct);

    /// <summary>Runs the unit (a down script) and removes the migration's journal row.</summary>
    Task<UnitOutcome> DownAsync(UnitRun run, MigrationUnit up, CancellationToken ct);
}

/// <summary>Picks the strategy for a unit.</summary>
internal static class ExecutionStrategies
{
    public static readonly IExecutionStrategy Transactional = new TransactionalStrategy();

    public static readonly IExecutionStrategy StatementByStatement = new StatementByStatementStrategy();

    public static readonly IExecutionStrategy Backfill = new BackfillStrategy();

    public static readonly IExecutionStrategy ExpandContract = new Stepwise.Migrations.ExpandContract.ExpandStrategy();

    public static IExecutionStrategy For(MigrationUnit unit) =>
        unit.IsExpandContract ? ExpandContract
        : unit.Backfill is not null || unit.BackfillError is not null ? Backfill
        : unit.InTransaction ? Transactional
        : StatementByStatement;

    /// <summary>For a down: a backfill up file (whose checkpoint must be forgotten) also goes the backfill way.</summary>
    public static IExecutionStrategy ForDown(MigrationUnit up, MigrationUnit down) =>
        up.Backfill is not null ? Backfill : For(down);
}
