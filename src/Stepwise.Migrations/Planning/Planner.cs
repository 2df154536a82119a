using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.Planning;

/// <summary>One migration to run by <c>up</c>: resumed at a statement when an earlier run was interrupted.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="ResumeFrom">0-based statement to start at.</param>
/// <param name="Resuming">An interrupted run is resumed.</param>
public sealed record UpStep(Migration Migration, int ResumeFrom, bool Resuming);

/// <summary>What <c>up</c> will do, or why it will not.</summary>
/// <param name="Statuses">Every migration and its state.</param>
/// <param name="Problems">What stops it (empty: it may run).</param>
/// <param name="Steps">The migrations to run, in order.</param>
public sealed record UpPlan(IReadOnlyList<MigrationStatus> Statuses, IReadOnlyList<RunProblem> Problems, IReadOnlyList<UpStep> Steps);

/// <summary>What <c>down</c> will roll back, or why it will not.</summary>
/// <param name="Problems">What stops it.</param>
/// <param name="Steps">The applied migrations to roll back, newest first.</param>
public sealed record DownPlan(IReadOnlyList<RunProblem> Problems, IReadOnlyList<MigrationStatus> Steps);

/// <summary>
/// The pure half of the runner: files and journal rows in, statuses and the steps to take out. No I/O, so every
/// rule here (checksums, missing files, failures, out-of-order, Flyway baselines, targets) is tested without a database.
/// </summary>
public static class Planner
{
    /// <summary>Every migration of the folder (and every journal row without a file) with its state.</summary>
    /// <param name="set">The folder.</param>
    /// <param name="journal">The journal's rows.</param>
    /// <param name="targetVersion">Flyway: the target, which chooses the baseline on an empty database.</param>
    /// <param name="lockHeldElsewhere">Another runner holds the migration lock: a running row is in progress, not interrupted.</param>
    public static IReadOnlyList<MigrationStatus> Statuses(MigrationSet set, IReadOnlyList<JournalEntry> journal, string? targetVersion = null, bool lockHeldElsewhere = false)
    {
        var byVersion = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        foreach (var j in journal)
        {
            byVersion[j.Version] = j;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MigrationStatus>();
        var baseline = ChosenBaseline(set, journal, byVersion, targetVersion);
        var floor = baseline is null ? null : VersionKey.Dotted(baseline.Version, MigrationKind.Versioned);
        foreach (var m in set.Versioned.Concat(set.Repeatable))
        {
            var version = MigrationSet.JournalVersion(m);
            seen.Add(version);
            if (!byVersion.TryGetValue(version, out var entry))
            {
                var skipped = m.Kind == MigrationKind.Baseline ? m != baseline : m.Kind == MigrationKind.Versioned && floor is not null && m.OrderKey.CompareTo(floor) <= 0;
                result.Add(new MigrationStatus(version, m.Name, skipped ? MigrationStatusKind.Skipped : MigrationStatusKind.Pending, null, m));
                continue;
            }

            var state = entry.State switch
            {
                JournalState.Running or JournalState.Completing or JournalState.Aborting when lockHeldElsewhere => MigrationStatusKind.Running,
                JournalState.Expanded => MigrationStatusKind.Expanded,
                JournalState.Completing => MigrationStatusKind.Completing,
                JournalState.Aborting => MigrationStatusKind.Aborting,
                JournalState.Applied => !string.Equals(entry.Checksum, MigrationSet.Checksum(m.Up), StringComparison.Ordinal)
                    ? (m.Kind == MigrationKind.Repeatable ? MigrationStatusKind.Pending : MigrationStatusKind.Changed)
                    : MigrationStatusKind.Applied,
                _ => MigrationStatusKind.Failed,
            };
            result.Add(new MigrationStatus(version, m.Name, state, entry, m));
        }

        // applied versions whose file is gone; versions recorded by `baseline`/`force` may have no file
        foreach (var entry in journal.Where(j => !seen.Contains(j.Version)))
        {
            var state = entry.State switch
            {
                JournalState.Applied => MigrationStatusKind.Missing,
                JournalState.Running or JournalState.Completing or JournalState.Aborting when lockHeldElsewhere => MigrationStatusKind.Running,
                JournalState.Expanded => MigrationStatusKind.Expanded,
                JournalState.Completing => MigrationStatusKind.Completing,
                JournalState.Aborting => MigrationStatusKind.Aborting,
                _ => MigrationStatusKind.Failed,
            };
            result.Add(new MigrationStatus(entry.Version, entry.Name, state, entry, null));
        }

        return result;
    }

    /// <summary>Whether statuses need acting on (status and validate exit 1).</summary>
    public static bool NeedsAction(IEnumerable<MigrationStatus> statuses) =>
        statuses.Any(s => s.State is MigrationStatusKind.Changed or MigrationStatusKind.Failed or MigrationStatusKind.Missing or MigrationStatusKind.Completing or MigrationStatusKind.Aborting);

    /// <summary>The problems <c>validate</c> reports: changed, missing and failed migrations.</summary>
    public static IReadOnlyList<RunProblem> ValidationProblems(IEnumerable<MigrationStatus> statuses)
    {
        var problems = new List<RunProblem>();
        foreach (var s in statuses)
        {
            switch (s.State)
            {
                case MigrationStatusKind.Changed:
                    problems.Add(new ChangedFile(s.Version, s.Name, s.Journal!.Checksum, MigrationSet.Checksum(s.File!.Up)));
                    break;
                case MigrationStatusKind.Missing:
                    problems.Add(new MissingFile(s.Version, s.Name));
                    break;
                case MigrationStatusKind.Failed:
                    problems.Add(new EarlierFailure(s.Version, s.Name, s.Journal!));
                    break;
            }
        }

        return problems;
    }

    /// <summary>What <c>up</c> runs: interrupted migrations first (resumed), then pending ones up to the target.</summary>
    public static UpPlan PlanUp(MigrationSet set, IReadOnlyList<JournalEntry> journal, string? targetVersion, bool allowOutOfOrder)
    {
        if (targetVersion is { } to && !set.HasVersion(to))
        {
            return new UpPlan([], [new UnknownVersion(to)], []);
        }

        var statuses = Statuses(set, journal, targetVersion) /* chooses among Flyway B scripts; no other layout has them */;
        var changed = statuses.Where(s => s.State == MigrationStatusKind.Changed).Select(s => (RunProblem)new ChangedFile(s.Version, s.Name, s.Journal!.Checksum, MigrationSet.Checksum(s.File!.Up))).ToList();
        if (changed.Count > 0)
        {
            return new UpPlan(statuses, changed, []);
        }

        var missing = statuses.Where(s => s.State == MigrationStatusKind.Missing).Select(s => (RunProblem)new MissingFile(s.Version, s.Name)).ToList();
        if (missing.Count > 0)
        {
            return new UpPlan(statuses, missing, []);
        }

        var failed = statuses.Where(s => s.State == MigrationStatusKind.Failed && s.Journal!.State == JournalState.Failed).Select(s => (RunProblem)new EarlierFailure(s.Version, s.Name, s.Journal!)).ToList();
        if (failed.Count > 0)
        {
            return new UpPlan(statuses, failed, []);
        }

        var newest = statuses.Where(s => s.State is MigrationStatusKind.Applied or MigrationStatusKind.Expanded && s.File is { Kind: not MigrationKind.Repeatable }).Select(s => s.File!.OrderKey).Max();
        var interrupted = statuses.Where(s => s.Journal?.State == JournalState.Running && s.File is not null)
            .Select(s => new UpStep(s.File!, s.Journal!.StatementsDone, true)).ToList();
        var pending = statuses.Where(s => s.State == MigrationStatusKind.Pending && s.File is not null).Select(s => s.File!).ToList();
        if (targetVersion is { } target)
        {
            var toKey = VersionKey.Parse(set.Layout, target);
            pending = pending.Where(m => m.Kind == MigrationKind.Repeatable || m.OrderKey.CompareTo(toKey) <= 0).ToList();
        }

        if (!allowOutOfOrder && newest is not null)
        {
            var early = pending.Where(m => m.Kind != MigrationKind.Repeatable && m.OrderKey.CompareTo(newest) < 0).Select(m => (RunProblem)new OutOfOrder(m.Version, m.Name)).ToList();
            if (early.Count > 0)
            {
                return new UpPlan(statuses, early, []);
            }
        }

        return new UpPlan(statuses, [], [.. interrupted, .. pending.Select(m => new UpStep(m, 0, false))]);
    }

    /// <summary>What <c>down</c> rolls back: the newest <paramref name="count"/> applied versioned migrations, or
    /// every one newer than <paramref name="targetVersion"/>.</summary>
    public static DownPlan PlanDown(MigrationSet set, IReadOnlyList<MigrationStatus> statuses, int count, string? targetVersion)
    {
        if (targetVersion is null && count < 1)
        {
            return new DownPlan([new InvalidCount(count)], []);
        }

        if (targetVersion is { } to && !set.HasVersion(to) && !MigrationSet.IsZero(to))
        {
            return new DownPlan([new UnknownVersion(to)], []);
        }

        var applied = statuses.Where(s => (s.State is MigrationStatusKind.Applied or MigrationStatusKind.Changed || InFlight(s)) && s.File is { Kind: MigrationKind.Versioned })
            .OrderByDescending(s => s.File!.OrderKey).ToList();
        var toUndo = targetVersion is { } version
            ? (MigrationSet.IsZero(version) ? applied : applied.Where(s => s.File!.OrderKey.CompareTo(VersionKey.Parse(set.Layout, version)) > 0).ToList())
            : applied.Take(count).ToList();
        var missingDown = toUndo.FirstOrDefault(s => s.File!.Down is null && !InFlight(s)); // an expand/contract migration in flight is undone by its abort

        return missingDown is not null
            ? new DownPlan([new MissingDown(missingDown.Version, missingDown.Name)], [])
            : new DownPlan([], toUndo);
    }

    /// <summary>An expand/contract migration in flight that <c>down</c> undoes with its abort phase: expanded, or
    /// interrupted in expand or abort (its journal row holds the plan).</summary>
    public static bool InFlight(MigrationStatus status) =>
        status.Journal is { Plan: not null, State: JournalState.Expanded or JournalState.Running or JournalState.Aborting };

    /// <summary>
    /// Flyway baseline migrations (<c>B{version}__…</c>): the one already applied, else — on a database with no
    /// history at all — the newest one up to the target, which then stands for every versioned migration up
    /// to its version. A database with history ignores them, as Flyway does.
    /// </summary>
    private static Migration? ChosenBaseline(MigrationSet set, IReadOnlyList<JournalEntry> journal, Dictionary<string, JournalEntry> byVersion, string? targetVersion)
    {
        var baselines = set.Versioned.Where(m => m.Kind == MigrationKind.Baseline).ToList();
        if (baselines.Count == 0)
        {
            return null;
        }

        var applied = baselines.LastOrDefault(b => byVersion.ContainsKey(MigrationSet.JournalVersion(b)));
        if (applied is not null || journal.Count > 0)
        {
            return applied;
        }

        var target = targetVersion is null ? null : VersionKey.Dotted(targetVersion, MigrationKind.Versioned);
        return baselines.LastOrDefault(b => target is null || VersionKey.Dotted(b.Version, MigrationKind.Versioned).CompareTo(target) <= 0);
    }
}
