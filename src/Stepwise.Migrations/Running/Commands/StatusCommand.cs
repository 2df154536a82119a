using Stepwise.Engines;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Commands;

/// <summary><c>status</c> and <c>validate</c>: read-only; no lock taken, nothing created.</summary>
internal static class StatusCommand
{
    public static async Task<RunResult> StatusAsync(RunnerSession session, CancellationToken ct)
    {
        // a row journaled as running is in progress when another runner holds the lock, else interrupted
        LockHolder? holder = null;
        if (session.Journal.Any(j => j.State is JournalState.Running or JournalState.Completing or JournalState.Aborting))
        {
            holder = await session.HolderAsync(ct).ConfigureAwait(false);
        }

        var statuses = Planner.Statuses(session.Set, session.Journal, lockHeldElsewhere: holder is not null);
        return new RunResult(Planner.NeedsAction(statuses) ? RunOutcome.ActionNeeded : RunOutcome.Ok) { Statuses = statuses, RunningUnder = holder };
    }

    public static async Task<RunResult> ValidateAsync(RunnerSession session, CancellationToken ct)
    {
        var status = await StatusAsync(session, ct).ConfigureAwait(false);
        return status with { Problems = Planner.ValidationProblems(status.Statuses) };
    }
}
