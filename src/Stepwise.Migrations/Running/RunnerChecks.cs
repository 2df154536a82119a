using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Running;

/// <summary>Checks and results the runner's commands share: an unknown target version, an engine failure after
/// connecting, a corrupt journal, and telling a migration in progress from an interrupted one.</summary>
internal static class RunnerChecks
{
    /// <summary>An engine failure after the connection was made: a lost connection is something to act on (run the
    /// same command again: the journal records what committed), anything else is an input error.</summary>
    public static RunResult EngineFailure(DatabaseTarget target, EngineException ex) => ex.Kind == FailureKind.Connection
        ? new RunResult(RunOutcome.ActionNeeded, [$"lost the connection to {target.Redacted}: {target.Scrub(ex.Message)}; run the same command again (what committed is recorded in the journal, and `up` resumes)"]) { Problem = RunProblem.ConnectionLost }
        : RunResult.Input($"{target.Redacted}: {target.Scrub(ex.Message)}");

    public static RunResult Corrupt(CorruptJournalException ex) =>
        new(RunOutcome.ActionNeeded, [$"{ex.Message}; nothing was run. Fix or delete that row by hand"]) { Problem = RunProblem.CorruptJournal };

    /// <summary>For `up --to` / `down --to`: the version must be one a migration has (down also takes 0, or 0000: all).</summary>
    public static RunResult? UnknownVersion(LayoutKind layout, IReadOnlyList<Migration> versioned, string? version, bool allowZero)
    {
        if (version is null)
        {
            return null;
        }

        var key = VersionKey.Parse(layout, version);
        if (allowZero && key.CompareTo(VersionKey.Parse(layout, "0")) == 0)
        {
            return null; // 0, 0000 …: before every migration
        }

        return versioned.Any(m => m.OrderKey.CompareTo(key) == 0 || string.Equals(m.Version, version, StringComparison.Ordinal))
            ? null
            : RunResult.Input($"no migration has version {version}");
    }

    /// <summary>A journal row in state running is in progress while another session holds the migration lock, and
    /// was interrupted while the lock is free. Takes the lock for a moment to tell (and then re-reads the journal
    /// under it, so a run that ended meanwhile is not taken for an interrupted one); null holder: the lock was free.</summary>
    public static async Task<(IReadOnlyList<JournalEntry> Journal, string? Holder)> RunningHolderAsync(IMigrationEngine engine, IReadOnlyList<JournalEntry> journal, CancellationToken ct)
    {
        if (!journal.Any(j => j.State == JournalState.Running))
        {
            return (journal, null);
        }

        if (await engine.TryLockAsync(TimeSpan.Zero, ct).ConfigureAwait(false))
        {
            try
            {
                return (await engine.ReadJournalAsync(ct).ConfigureAwait(false), null);
            }
            finally
            {
                await engine.UnlockAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        string? holder = null;
        try
        {
            holder = await engine.LockHolderAsync(ct).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // only for the message
        }

        return (journal, holder ?? "another session");
    }

    /// <summary>With another session holding the migration lock (<paramref name="holder"/> not null), the rows
    /// journaled as running are in progress: `running`, each with a line naming the holder.</summary>
    public static (List<MigrationStatus> Statuses, List<string> Messages) MarkRunning(List<MigrationStatus> statuses, string? holder, DatabaseTarget target)
    {
        if (holder is null)
        {
            return (statuses, []);
        }

        var marked = statuses.Select(s => s.Journal?.State == JournalState.Running ? s with { State = MigrationStatusKind.Running } : s).ToList();
        var messages = marked.Where(s => s.State == MigrationStatusKind.Running)
            .Select(s => $"{s.Version} {s.Name} is being applied by another stepwise run (migration lock held by {target.Scrub(holder)})").ToList();
        return (marked, messages);
    }
}
