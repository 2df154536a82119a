using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>Runner events and typed results as transcript lines: every field that matters, nothing that varies
/// between runs (elapsed times, retry delays, dates).</summary>
internal static class ResultText
{
    public static string Event(RunnerEvent e) => e.Phase is { } phase ? PhaseEvent(e, phase) : e.Kind switch
    {
        RunnerEventKind.Connected => $"connected to {e.Target} (server {e.Server})",
        RunnerEventKind.Waiting => $"waiting for {e.Wait?.What}",
        RunnerEventKind.Locked => "locked",
        RunnerEventKind.Starting => $"start {e.Version} {e.Name} {e.Direction} ({e.StatementCount} statements){(e.Resuming ? $" resuming at statement [{e.StatementIndex}]" : string.Empty)}{(e.Table is null ? string.Empty : " table " + e.Table)}",
        RunnerEventKind.Statement => $"statement [{e.StatementIndex}] of {e.StatementCount}",
        RunnerEventKind.Retrying => $"retry {e.Attempt}/{e.MaxAttempts} after lock timeout {Transcript.Duration(e.LockTimeout)} ({(e.StatementIndex is { } i ? $"statement [{i}]" : "whole unit")})",
        RunnerEventKind.BackfillProgress => $"backfill {e.Table}: rows_done={e.Backfill?.RowsDone} batches={e.Backfill?.Batches} batch_size={e.Backfill?.BatchSize}",
        RunnerEventKind.Finished => $"finished {e.Version} {e.Direction}{(e.BackfillResult is { } b ? $": {b.Outcome} rows_done={b.RowsDone} batches={b.Batches}" : string.Empty)}",
        RunnerEventKind.Failed => $"failed {e.Version} {e.Direction}: {e.Failure?.Kind} at statement {Index(e.StatementIndex)}",
        _ => e.Kind.ToString(),
    };

    /// <summary>An expand/contract phase's event: steps instead of statements.</summary>
    private static string PhaseEvent(RunnerEvent e, Stepwise.Migrations.ExpandContract.EcPhase phase) => e.Kind switch
    {
        RunnerEventKind.Starting => $"start {phase} {e.Version} {e.Name}{(e.StatementCount is { } n ? $" ({n} steps)" : string.Empty)}{(e.Resuming ? $" resuming at step [{e.StatementIndex}]" : string.Empty)}",
        RunnerEventKind.Statement => $"{phase} step [{e.StatementIndex}] of {e.StatementCount}: {e.Statement}",
        RunnerEventKind.Retrying => $"retry {e.Attempt}/{e.MaxAttempts} after lock timeout {Transcript.Duration(e.LockTimeout)} (step [{e.StatementIndex}])",
        RunnerEventKind.BackfillProgress => $"backfill {e.Table}: rows_done={e.Backfill?.RowsDone} batches={e.Backfill?.Batches} batch_size={e.Backfill?.BatchSize}",
        RunnerEventKind.Finished => $"finished {phase} {e.Version}",
        RunnerEventKind.Failed => $"failed {phase} {e.Version}: {e.Failure?.Kind} at step {Index(e.StatementIndex)}",
        _ => e.Kind.ToString(),
    };

    public static IEnumerable<string> Lines(RunResult result, bool statuses)
    {
        yield return $"=> {result.Outcome}{(result.DryRun ? " (dry run)" : string.Empty)}";
        if (result.Done.Count > 0)
        {
            yield return "   done: " + string.Join(", ", result.Done);
        }

        if (result.Failure is { } f)
        {
            yield return $"   failure: {f.Version} {f.Name} {f.Direction} mode={f.Mode} statement={Index(f.StatementIndex)} of {f.StatementCount} kind={f.Kind} sqlstate={f.SqlState ?? "none"} applied={f.StatementsApplied} retries={f.Retries} record={f.Record}{(f.RolledBackFrom is { } begin ? $" rolled_back_from=[{begin}]" : string.Empty)}";
            yield return $"     statement: {(f.Statement is null ? "none" : Transcript.OneLine(f.Statement))}";
            yield return $"     message: {f.Message}";
            if (f.Phase is { } phase)
            {
                yield return $"     phase: {phase} step: {f.Step}";
            }

            if (f.Backfill is { } b)
            {
                yield return $"     backfill: {b.Outcome} rows_done={b.RowsDone} batches={b.Batches}";
            }
        }

        foreach (var p in result.Problems)
        {
            yield return "   problem: " + Problem(p);
            if (p is LintRefused lint)
            {
                foreach (var finding in lint.Report.Findings)
                {
                    yield return $"     {finding.Severity} {finding.Rule} {finding.Path}:{finding.Start.Line}:{finding.Start.Column}: {finding.Message}";
                }
            }
        }

        foreach (var n in result.Notes)
        {
            yield return "   note: " + Note(n);
        }

        foreach (var s in result.Plan)
        {
            yield return "   plan: " + Step(s);
        }

        if (statuses)
        {
            foreach (var s in result.Statuses)
            {
                yield return $"   status: {s.Version} {s.Name} {MigrationStatus.StateName(s.State)}{(s.Journal is { } j ? $" (journal: {Engines.JournalEntry.StateName(j.State)}, statements_done={j.StatementsDone})" : string.Empty)}";
            }

            if (result.RunningUnder is { } holder)
            {
                yield return $"   running under: pid {holder.SessionId} {holder.Application}";
            }
        }
    }

    /// <summary>A statement index, or "none" when no statement of the file is to blame.</summary>
    private static string Index(int? index) => index is { } i ? $"[{i}]" : "none";

    private static string Problem(RunProblem p) => p switch
    {
        ChangedFile c => $"ChangedFile {c.Version} {c.Name} recorded={c.Recorded[..Math.Min(12, c.Recorded.Length)]} current={c.Current[..12]}",
        EarlierFailure e => $"EarlierFailure {e.Version} {e.Name} state={Engines.JournalEntry.StateName(e.Entry.State)} statements_done={e.Entry.StatementsDone} failed_statement_index={Index(e.Entry.FailedStatementIndex)} error=\"{e.Entry.Error}\"",
        LintRefused l => $"LintRefused ({l.Report.Findings.Count} error{(l.Report.Findings.Count == 1 ? string.Empty : "s")} in {l.Report.Files} file{(l.Report.Files == 1 ? string.Empty : "s")} about to run)",
        Stepwise.Migrations.ExpandContract.OldNamesInUse u => $"OldNamesInUse {u.Version} {u.Name} quiet={Transcript.Duration(u.QuietPeriod)}: " + string.Join("; ", u.Uses.Select(x => $"{x.Calls}x {x.Query}")),
        LockBusy b => $"LockBusy {b.Target} waited={Transcript.Duration(b.Waited)} holder=pid {b.Holder?.SessionId} {b.Holder?.Application} {b.Holder?.State} {b.Holder?.Seconds}s \"{b.Holder?.Query}\"",
        _ => Plain(p.ToString()),
    };

    private static string Note(RunNote n) => n switch
    {
        StoppedBackfill s => $"StoppedBackfill {s.Version} {s.Name} {s.Direction}: {s.Backfill.Outcome} rows_done={s.Backfill.RowsDone} batches={s.Backfill.Batches} \"{s.Backfill.Message}\"",
        Stepwise.Migrations.ExpandContract.GuardNotChecked g => $"GuardNotChecked {g.Why} detail={g.Detail ?? "none"} uses={g.Uses.Count}",
        Baselined b => $"Baselined {b.Recorded} from {b.Tool ?? "versions"} unmatched=[{string.Join(", ", b.Unmatched)}] in {b.Directory}",
        _ => Plain(n.ToString()),
    };

    /// <summary>A record's own text without the flag every problem carries.</summary>
    private static string Plain(string text) => text.Replace("IsInputError = False, ", string.Empty, StringComparison.Ordinal).Replace("IsInputError = True, ", "input error, ", StringComparison.Ordinal);

    private static string Step(PlannedStep s)
    {
        var text = $"{s.Version} {s.Name} {s.Direction} {s.Mode} ({s.StatementCount} statements)";
        if (s.NoTransactionReason is { } why)
        {
            text += $" because {why}";
        }

        if (s.Backfill is { } spec)
        {
            text += $"; backfill {spec.Name} on {spec.Table} SET {spec.Set} batch_size={spec.BatchSize}";
        }

        if (s.BackfillPlan is { } plan)
        {
            text += $"; key=({string.Join(", ", plan.Key.Select(k => k.Name))}) estimate={plan.EstimatedRows} checkpoint={(plan.Checkpoint is { } c ? $"{c.State} rows_done={c.RowsDone} batches={c.Batches}" : "none")}";
        }

        if (s.BackfillProblem is { } problem)
        {
            text += $"; backfill problem: {problem}";
        }

        return text;
    }
}
