using System.Globalization;
using Stepwise.Engines;
using Stepwise.Migrations.ExpandContract;
using Stepwise.Migrations.Running;

namespace Stepwise.Cli.Commands;

/// <summary>Expand/contract results and events in words (the phases of <c>up</c>, <c>complete</c>, <c>abort</c>).</summary>
internal static class ExpandContractText
{
    private static string Label(string? version, string? name) => $"{version} {name}";

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A duration as given on the command line: 15m, 90s, 500ms.</summary>
    public static string Duration(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)t.TotalMinutes}m"
        : t.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{(long)t.TotalSeconds}s"
        : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0}ms");

    private static string Verb(EcPhase? phase) => phase switch
    {
        EcPhase.Contract => "completing",
        EcPhase.Abort => "aborting",
        _ => "expanding",
    };

    /// <summary>A progress line of a phase, or null to fall back to the runner's wording (backfill progress).</summary>
    public static string? Event(RunnerEvent e)
    {
        var label = Label(e.Version, e.Name);
        return e.Kind switch
        {
            RunnerEventKind.Starting when e.Resuming => $"· resuming {Verb(e.Phase)} {label} at step {(e.StatementIndex ?? 0) + 1}",
            RunnerEventKind.Starting => $"· {Verb(e.Phase)} {label}{(e.StatementCount is { } n ? $" ({n} step(s))" : string.Empty)}",
            RunnerEventKind.Statement => $"  [{(e.StatementIndex ?? 0) + 1}/{e.StatementCount}] {e.Statement}",
            RunnerEventKind.Retrying => $"· {label} step {(e.StatementIndex ?? 0) + 1}: lock not granted within {Ms(e.LockTimeout)} ms; retry {e.Attempt}/{e.MaxAttempts} in {Ms(e.Delay)} ms",
            RunnerEventKind.Finished when e.Phase == EcPhase.Expand => $"✓ expanded {label} in {Ms(e.Elapsed)} ms",
            RunnerEventKind.Finished when e.Phase == EcPhase.Contract => $"✓ completed {label} in {Ms(e.Elapsed)} ms",
            RunnerEventKind.Finished => $"✓ aborted {label} in {Ms(e.Elapsed)} ms",
            _ => null,
        };
    }

    /// <summary>The line under <c>status</c>'s table for an expand/contract migration in flight, or null.</summary>
    public static string? StatusLine(MigrationStatus s) => s.State switch
    {
        MigrationStatusKind.Expanded => $"{Label(s.Version, s.Name)}: expanded since {Time(s.Journal!.AppliedAt)}; the old and the new release both run. Run `stepwise complete {s.Version}` once no old release runs, or `stepwise abort {s.Version}` to undo it",
        MigrationStatusKind.Completing => $"{Label(s.Version, s.Name)}: `stepwise complete` was interrupted after step {s.Journal!.StatementsDone} (since {Time(s.Journal.AppliedAt)}); run `stepwise complete {s.Version}` again to finish it",
        MigrationStatusKind.Aborting => $"{Label(s.Version, s.Name)}: `stepwise abort` was interrupted after step {s.Journal!.StatementsDone} (since {Time(s.Journal.AppliedAt)}); run `stepwise abort {s.Version}` again to finish it",
        _ => null,
    };

    public static string? Problem(RunProblem problem) => problem switch
    {
        InvalidExpandContract p => $"{Label(p.Version, p.Name)} cannot run as expand/contract: {p.Reason}; nothing was run",
        ExpandContractUnsupported p => $"{Label(p.Version, p.Name)} is an expand/contract migration, but Stepwise cannot run expand/contract on {p.Dialect} yet; nothing was run",
        ExpandContractRefused p => $"{Label(p.Version, p.Name)} cannot run as expand/contract: {p.Reason}; nothing was run. Change the migration (or run it as a plain migration in a maintenance window)",
        TableInFlight p => $"{Label(p.Version, p.Name)} touches table {p.Table}, which the expand/contract migration {Label(p.InFlightVersion, p.InFlightName)} has {InFlightWord(p.InFlightState)}; run `stepwise complete` or `stepwise abort` first. {Label(p.Version, p.Name)} and later migrations were not run",
        NotExpanded { State: null } p => $"{p.Version} is not an expanded migration (no migration with that version has run); `stepwise {p.Command}` takes the version of an expanded one (see `stepwise status`)",
        NotExpanded p => $"{p.Version} is not an expanded migration (it is {JournalEntry.StateName(p.State!.Value)}); `stepwise {p.Command}` takes the version of an expanded one (see `stepwise status`)",
        ContractStarted p => $"{Label(p.Version, p.Name)}: `stepwise complete` already started its contract phase, so the old shape is (partly) gone and cannot be restored; run `stepwise complete {p.Version}` to finish it",
        UnreadablePlan p => $"{Label(p.Version, p.Name)}: {p.Problem}; nothing was run. The journal row of an expand/contract migration must keep the plan its expand phase stored",
        OldNamesInUse p => $"{Label(p.Version, p.Name)}: not completed — the old release still seems to run: within the last {Duration(p.QuietPeriod)} the database ran {p.Uses.Count} kind(s) of query that use names the contract phase removes:"
            + string.Concat(p.Uses.Take(10).Select(u => $"\n    {u.Calls.ToString("N0", CultureInfo.InvariantCulture)} call(s){(u.LastSeen is { } t ? ", last " + Time(t) : string.Empty)}: {RunnerText.OneLine(u.Query)}"))
            + (p.Uses.Count > 10 ? "\n    …" : string.Empty)
            + $"\n  Stop the old release and wait for a quiet period, or pass --force if these queries are not the old release's (e.g. a report you know about)",
        _ => null,
    };

    private static string InFlightWord(JournalState state) => state switch
    {
        JournalState.Expanded => "expanded (both shapes are live)",
        JournalState.Completing => "in an interrupted `complete`",
        JournalState.Aborting => "in an interrupted `abort`",
        _ => "in an interrupted expand phase",
    };

    public static string Failure(MigrationFailure f)
    {
        var label = Label(f.Version, f.Name);
        var (verb, command) = f.Phase switch
        {
            EcPhase.Contract => ("completing", "stepwise complete"),
            EcPhase.Abort => ("aborting", "stepwise abort"),
            _ => ("expanding", "stepwise up"),
        };
        var reason = f.Kind switch
        {
            ErrorKind.LockTimeout => $"lock not granted after {f.Retries} retries: {f.Message}",
            ErrorKind.ConnectionLost => $"connection lost: {f.Message}",
            _ => f.Message,
        };
        var where = f.Statement is null ? string.Empty : $": {RunnerText.OneLine(f.Statement)}";
        var text = $"{verb} {label} failed at step {(f.StatementIndex ?? 0) + 1} of {f.StatementCount}{(f.Step is null ? string.Empty : $" ({f.Step})")}{where} — {reason}";
        var record = f.Record == FailureRecord.NotWritten
            ? " (the failure could not be written to the journal: the connection is gone; the journal keeps the steps done)"
            : string.Empty;
        var next = f.Phase == EcPhase.Expand
            ? $". Steps 1–{f.StatementsApplied} are done and recorded; fix the cause and run `{command}` again to continue, or `stepwise abort {f.Version}` to undo them"
            : $". Steps 1–{f.StatementsApplied} are done and recorded; fix the cause and run `{command} {f.Version}` again to continue";
        return text + record + next;
    }

    public static IEnumerable<string> Note(RunNote note)
    {
        switch (note)
        {
            case MigrationExpanded n:
                yield return $"{Label(n.Version, n.Name)}: expanded — the old and the new release both run. Deploy the new release; once no old release runs, `stepwise complete {n.Version}` (or `stepwise abort {n.Version}` to undo)";
                break;
            case MigrationCompleted n:
                yield return $"{Label(n.Version, n.Name)}: completed (contract phase done; the old shape is gone)";
                break;
            case MigrationAborted n:
                yield return $"{Label(n.Version, n.Name)}: aborted — the schema is as before its expand phase; it is pending again";
                break;
            case GuardNotChecked { Why: GuardSkip.Forced } n:
                yield return n.Uses.Count == 0
                    ? "--force: went on without waiting for a quiet period (no recent use of the old names was seen)"
                    : $"--force: went on although {n.Uses.Count} kind(s) of query used the old names recently: " + string.Join("; ", n.Uses.Take(3).Select(u => RunnerText.OneLine(u.Query)));
                break;
            case GuardNotChecked { Why: GuardSkip.Unavailable } n:
                yield return $"note: the database cannot tell whether the old release still runs ({n.Detail}); went on. Make sure no old release runs";
                break;
            case GuardNotChecked:
                yield return "note: this database cannot tell whether the old release still runs; went on. Make sure no old release runs";
                break;
        }
    }

    public static IEnumerable<string> Summary(string command, RunResult result)
    {
        if (result.Done.Count > 0)
        {
            yield return $"{(command == "complete" ? "completed" : "aborted")} {result.Done.Count} migration(s)";
        }
        else
        {
            yield return command == "complete" ? "nothing to complete: no migration is expanded" : "nothing to abort: no migration is expanded";
        }
    }
}
