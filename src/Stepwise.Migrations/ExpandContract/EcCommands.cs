using System.Data.Common;
using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Running.Commands;
using Stepwise.Migrations.Running.Execution;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>
/// <c>complete [VERSION]</c> (contract phase: expanded → applied, after the guard that the old release no longer
/// runs) and <c>abort [VERSION]</c> (abort phase: expanded or interrupted → pending again). Both resume an
/// interrupted phase at the first step not recorded done, from the plan stored on the journal row.
/// </summary>
internal static class EcCommands
{
    public static async Task<RunResult> CompleteAsync(RunnerSession session, string? version, TimeSpan quietPeriod, bool force, CancellationToken ct)
    {
        var journal = session.Journal;
        List<JournalEntry> targets;
        if (version is not null)
        {
            var row = Find(session, version);
            if (row is not { State: JournalState.Expanded or JournalState.Completing, Plan: not null })
            {
                return RunResult.Stopped(new NotExpanded(version, row?.State, "complete"));
            }

            targets = [row];
        }
        else
        {
            targets = [.. Ordered(session, journal.Where(j => j.Plan is not null && j.State is JournalState.Expanded or JournalState.Completing))];
        }

        var plans = new List<(JournalEntry Row, EcPlan Plan)>();
        foreach (var row in targets)
        {
            if (EcPlanJson.Read(row.Plan, out var problem) is not { } plan)
            {
                return RunResult.Stopped(new UnreadablePlan(row.Version, row.Name, problem!));
            }

            plans.Add((row, plan));
        }

        var notes = new List<RunNote>();
        var toCheck = plans.Where(p => p.Row.State == JournalState.Expanded).ToList(); // a contract already started is finished, not re-checked
        if (toCheck.Count > 0)
        {
            var (refusal, note) = await GuardAsync(session, toCheck, quietPeriod, force, ct).ConfigureAwait(false);
            if (note is not null)
            {
                notes.Add(note);
            }

            if (refusal is not null)
            {
                return RunResult.Stopped(refusal) with { Notes = notes };
            }
        }

        var done = new List<string>();
        foreach (var (row, plan) in plans)
        {
            var ec = new EcRun(session, row, plan, EcPhase.Contract);
            var from = row.State == JournalState.Completing ? Math.Min(row.StatementsDone, plan.Contract.Count) : 0;
            ec.Report(ec.Event(RunnerEventKind.Starting) with { Resuming = row.State == JournalState.Completing, StatementIndex = from });
            if (await ec.RunStepsAsync(from, ct).ConfigureAwait(false) is { } failure)
            {
                return UpCommand.Ended(new UnitOutcome(failure), done) with { Notes = notes };
            }

            await session.Engine.Journal.WriteAsync(ec.Row(JournalState.Applied, plan.Contract.Count), ct).ConfigureAwait(false);
            ec.Report(ec.Event(RunnerEventKind.Finished) with { Elapsed = ec.Clock.Elapsed });
            notes.Add(new MigrationCompleted(row.Version, row.Name));
            done.Add(row.Version);
        }

        return new RunResult(RunOutcome.Ok) { Done = done, Notes = notes };
    }

    public static async Task<RunResult> AbortAsync(RunnerSession session, string? version, CancellationToken ct)
    {
        List<JournalEntry> targets;
        if (version is not null)
        {
            var row = Find(session, version);
            if (row is { State: JournalState.Completing, Plan: not null })
            {
                return RunResult.Stopped(new ContractStarted(row.Version, row.Name));
            }

            if (row is null || !CanAbort(row))
            {
                return RunResult.Stopped(new NotExpanded(version, row?.State, "abort"));
            }

            targets = [row];
        }
        else
        {
            targets = [.. Ordered(session, session.Journal.Where(CanAbort)).Reverse()];
        }

        var done = new List<string>();
        var notes = new List<RunNote>();
        foreach (var row in targets)
        {
            var outcome = await AbortOneAsync(session, row, ct).ConfigureAwait(false);
            if (!outcome.IsDone)
            {
                return UpCommand.Ended(outcome, done) with { Notes = notes };
            }

            notes.Add(outcome.Note!);
            done.Add(row.Version);
        }

        return new RunResult(RunOutcome.Ok) { Done = done, Notes = notes };
    }

    /// <summary>An expand/contract migration that abort can undo: expanded, or interrupted in expand or abort.</summary>
    public static bool CanAbort(JournalEntry row) => row is { Plan: not null, State: JournalState.Expanded or JournalState.Running or JournalState.Aborting };

    /// <summary>Runs (or resumes) the abort phase of one migration, forgets its backfill checkpoints, then removes its row.</summary>
    public static async Task<UnitOutcome> AbortOneAsync(RunnerSession session, JournalEntry row, CancellationToken ct)
    {
        if (EcPlanJson.Read(row.Plan, out var problem) is not { } plan)
        {
            return new UnitOutcome(Problem: new UnreadablePlan(row.Version, row.Name, problem!));
        }

        var ec = new EcRun(session, row, plan, EcPhase.Abort);
        var from = row.State == JournalState.Aborting ? Math.Min(row.StatementsDone, plan.Abort.Count) : 0;
        ec.Report(ec.Event(RunnerEventKind.Starting) with { Resuming = row.State == JournalState.Aborting, StatementIndex = from });
        if (await ec.RunStepsAsync(from, ct).ConfigureAwait(false) is { } failure)
        {
            return new UnitOutcome(failure);
        }

        // the checkpoints go before the row: a later `up` must run the backfills again, not find them finished
        for (var n = 0; n < plan.Backfills.Count; n++)
        {
            try
            {
                await BackfillRunner.ForgetAsync(session.Engine, ExpandContractDirective.BackfillName(row.Version, n), ct).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                return new UnitOutcome(await ec.FailAsync(ErrorKind.Statement, ex.SqlState, "could not clear the backfill checkpoint: " + session.Target.Scrub(ex.Message), plan.Abort.Count, null, null, 0).ConfigureAwait(false));
            }
        }

        await session.Engine.Journal.DeleteAsync(row.Version, ct).ConfigureAwait(false);
        ec.Report(ec.Event(RunnerEventKind.Finished) with { Elapsed = ec.Clock.Elapsed });
        return new UnitOutcome(Note: new MigrationAborted(row.Version, row.Name));
    }

    /// <summary>
    /// The expand/contract migrations in flight (expanded, or interrupted in a phase) and the tables their plans touch.
    /// </summary>
    public static IReadOnlyList<(JournalEntry Row, IReadOnlyList<string> Tables)> InFlight(IEnumerable<JournalEntry> journal)
    {
        var list = new List<(JournalEntry, IReadOnlyList<string>)>();
        foreach (var row in journal.Where(j => j.Plan is not null && j.State is JournalState.Expanded or JournalState.Running or JournalState.Completing or JournalState.Aborting))
        {
            list.Add((row, EcPlanJson.Read(row.Plan, out _)?.Tables ?? []));
        }

        return list;
    }

    /// <summary>Whether two table names (key form) may be the same table: equal, or equal once the schema of a
    /// qualified one is dropped when the other is unqualified.</summary>
    public static bool SameTable(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        static string Bare(string name) => name[(name.LastIndexOf('.') + 1)..];
        return (!a.Contains('.', StringComparison.Ordinal) || !b.Contains('.', StringComparison.Ordinal)) && string.Equals(Bare(a), Bare(b), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(RunProblem? Refusal, RunNote? Note)> GuardAsync(RunnerSession session, List<(JournalEntry Row, EcPlan Plan)> toCheck, TimeSpan quietPeriod, bool force, CancellationToken ct)
    {
        if (session.Engine.Ability<IOldNameUsage>() is not { } usage)
        {
            return (null, new GuardNotChecked(GuardSkip.NoAbility, null, []));
        }

        if (await usage.UnavailableBecauseAsync(ct).ConfigureAwait(false) is { } reason)
        {
            return (null, new GuardNotChecked(GuardSkip.Unavailable, session.Target.Scrub(reason), []));
        }

        var seen = new List<EcOldNameUse>();
        foreach (var (row, plan) in toCheck)
        {
            if (plan.OldNames.Count == 0)
            {
                continue;
            }

            var uses = await usage.RecentUsesAsync(plan.OldNames, quietPeriod, ct).ConfigureAwait(false);
            if (uses.Count > 0 && !force)
            {
                return (new OldNamesInUse(row.Version, row.Name, uses, quietPeriod), null);
            }

            seen.AddRange(uses);
        }

        return (null, force ? new GuardNotChecked(GuardSkip.Forced, null, seen) : null);
    }

    /// <summary>The journal row of a version as the user wrote it (journaled form, or any spelling of a file's version).</summary>
    private static JournalEntry? Find(RunnerSession session, string version)
    {
        var row = session.Journal.FirstOrDefault(j => string.Equals(j.Version, version, StringComparison.Ordinal));
        if (row is not null || !session.Set.HasVersion(version))
        {
            return row;
        }

        var key = VersionKey.Parse(session.Set.Layout, version);
        var file = session.Set.Versioned.FirstOrDefault(m => m.OrderKey.CompareTo(key) == 0 || string.Equals(m.Version, version, StringComparison.Ordinal));
        return file is null ? null : session.Journal.FirstOrDefault(j => j.Version == MigrationSet.JournalVersion(file));
    }

    /// <summary>Rows in the files' apply order (rows without a file last, by version).</summary>
    private static IEnumerable<JournalEntry> Ordered(RunnerSession session, IEnumerable<JournalEntry> rows)
    {
        var order = session.Set.Versioned.Select((m, i) => (Version: MigrationSet.JournalVersion(m), i)).ToDictionary(x => x.Version, x => x.i, StringComparer.Ordinal);
        return rows.OrderBy(r => order.TryGetValue(r.Version, out var i) ? i : int.MaxValue).ThenBy(r => r.Version, StringComparer.Ordinal);
    }
}
