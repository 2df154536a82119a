using System.Globalization;
using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.ExpandContract;
using Stepwise.Migrations.Running;

namespace Stepwise.Cli.Commands;

/// <summary>The runner's typed results and events in words: every sentence the runner commands print lives here.</summary>
internal static class RunnerText
{
    /// <summary>A statement on one line, shortened for messages.</summary>
    public static string OneLine(string? sql)
    {
        var one = string.Join(' ', (sql ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length > 160 ? one[..157] + "..." : one;
    }

    private static string Label(string? version, string? name) => $"{version} {name}";

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;

    /// <summary>A progress line, or null for an event not shown as a line.</summary>
    public static string? Event(RunnerEvent e)
    {
        var label = Label(e.Version, e.Name);
        var down = e.Direction == MigrationDirection.Down;
        if (e.Phase is not null && ExpandContractText.Event(e) is { } phaseLine)
        {
            return phaseLine;
        }

        return e.Kind switch
        {
            RunnerEventKind.Connected => $"· connected to {e.Target} ({e.Server})",
            RunnerEventKind.Locked => "· migration lock taken",
            RunnerEventKind.Waiting => e.Wait?.What == LockKind.DatabaseWriteLock
                ? $"· waiting for the database lock: another connection is writing to {e.Wait.Resource}"
                : "· waiting for the migration lock (another stepwise run holds it)",
            RunnerEventKind.Starting when down => e.Table is { } table ? $"· rolling back {label} (backfill of {table})" : $"· rolling back {label}",
            RunnerEventKind.Starting => e.Resuming ? $"· resuming {label} at statement {(e.StatementIndex ?? 0) + 1}" : $"· applying {label}",
            RunnerEventKind.Statement => $"  [{(e.StatementIndex ?? 0) + 1}/{e.StatementCount}] {OneLine(e.Statement)}",
            RunnerEventKind.Retrying when e.StatementIndex is { } i => $"· {label} statement {i + 1}: lock not granted; retry {e.Attempt}/{e.MaxAttempts} in {Ms(e.Delay)} ms",
            RunnerEventKind.Retrying => $"· {label}: lock not granted within {Ms(e.LockTimeout)} ms; retry {e.Attempt}/{e.MaxAttempts} in {Ms(e.Delay)} ms",
            RunnerEventKind.BackfillProgress when e.Backfill is { } b => "  " + BackfillLine(e.Table, b),
            RunnerEventKind.Finished when down => $"✓ rolled back {label}",
            RunnerEventKind.Finished when e.BackfillResult is { } r => $"✓ applied {label} ({r.Message}) in {Ms(e.Elapsed)} ms",
            RunnerEventKind.Finished => $"✓ applied {label} in {Ms(e.Elapsed)} ms",
            _ => null, // a failure is said once, in the result's "stepwise: …" line
        };
    }

    public static string BackfillLine(string? table, BackfillProgress value)
    {
        var eta = value.Eta is { } t ? $", ETA {t:hh\\:mm\\:ss}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"backfill {table}: {value.RowsDone:N0} rows, {value.RowsPerSecond:N0} rows/s, batch {value.BatchSize:N0}{eta}");
    }

    /// <summary>The result's lines: problems and the failure (for stderr with "stepwise: "), or what was done.</summary>
    public static IReadOnlyList<string> Lines(string command, RunResult result)
    {
        var lines = new List<string>();
        foreach (var problem in result.Problems)
        {
            lines.Add(Problem(command, problem));
        }

        if (result.Failure is { } failure)
        {
            lines.Add(Failure(failure));
        }

        foreach (var note in result.Notes)
        {
            lines.AddRange(Note(note));
        }

        if (result.Outcome != RunOutcome.Ok)
        {
            return lines;
        }

        switch (command)
        {
            case "up" when result.DryRun:
                lines.AddRange(result.Plan.Count == 0 ? ["nothing to apply"] : result.Plan.Select(PlanLine));
                break;
            case "down" when result.DryRun:
                lines.AddRange(result.Plan.Count == 0 ? ["nothing to roll back"] : result.Plan.Select(PlanLine));
                break;
            case "up":
                lines.Add(UpSummary(result));
                break;
            case "down":
                lines.Add(result.Done.Count == 0 ? "nothing to roll back" : $"rolled back {result.Done.Count} migration(s)");
                break;
            case "complete" or "abort":
                lines.AddRange(ExpandContractText.Summary(command, result));
                break;
            case "repair" when result.Notes.Count == 0:
                lines.Add("nothing to repair");
                break;
        }

        return lines;
    }

    public static string Problem(string command, RunProblem problem) => problem switch
    {
        FolderNotFound p => $"migrations folder not found: {p.Directory}",
        FolderError p => $"{p.Path}: {p.Message}",
        ConnectionFailed p => $"cannot connect to {p.Target}: {p.Message}",
        DatabaseError { Kind: ErrorKind.ConnectionLost } p => $"lost the connection to {p.Target}: {p.Message}; run the same command again (what committed is recorded in the journal, and `up` resumes)",
        DatabaseError p => $"{p.Target}: {p.Message}",
        CorruptJournal p => $"the journal is corrupt: row {p.Version}: {p.Problem}; nothing was run. Fix or delete the row by hand (see `stepwise status`)",
        ChangedFile p when command == "up" => $"{p.Version} {p.Name} was applied, but its file changed since; restore it (history is append-only: add a new migration instead), or run `stepwise repair` to accept the change",
        ChangedFile p => $"{p.Version} {p.Name}: applied, but its file changed since (checksum {Short(p.Recorded)} → {Short(p.Current)}); restore the file, or run `stepwise repair` to accept it",
        MissingFile p when command == "up" => $"{p.Version} {p.Name} was applied, but no file has this version; restore the file, or run `stepwise repair` to forget its record",
        MissingFile p => $"{p.Version} {p.Name}: applied, but no file has this version; restore the file, or run `stepwise repair` to forget its record",
        EarlierFailure p when command == "up" => EarlierFailureText(p) + ". Fix the cause (and the file), then run `stepwise repair` to resume, or `stepwise force VERSION` to set the recorded version.",
        EarlierFailure p => EarlierFailureText(p),
        OutOfOrder p => $"{p.Version} {p.Name} is pending but older than the newest applied migration; renumber it, or pass --allow-out-of-order",
        LintRefused p => $"lint found {p.Report.Findings.Count(f => f.Severity == Stepwise.Analysis.Reporting.Severity.Error)} error(s) in pending migrations; fix them, suppress them with a reason (-- stepwise:ignore <rule> <reason>), or pass --allow-unsafe",
        LockBusy p => string.Create(CultureInfo.InvariantCulture, $"another stepwise run holds the migration lock on {p.Target}; gave up after {p.Waited.TotalSeconds:0} s")
            + (p.Holder is { } h ? $". Held by {Holder(h, p.Dialect)} — if that is an earlier run that was killed, its last statement is still running on the server; wait for it, or cancel it there" : string.Empty),
        UnknownVersion p => $"no migration has version {p.Version}",
        InvalidCount p => $"the number of migrations to roll back must be at least 1 (got {p.Count})",
        MissingDown p => $"{p.Version} {p.Name} has no down migration; nothing was rolled back",
        JournalNotEmpty => "the journal already has records; baseline only starts an empty one (use `stepwise force` to move it)",
        NoForeignHistory p => $"no {p.Tool} history table found in {p.Target}",
        OtherToolHistory p => $"this database has no Stepwise journal, but {p.Table} records {p.Rows} migration(s) applied by {string.Join(" or ", p.Tools)}; nothing was run. Adopt it first with `stepwise baseline --from {p.Tools[0]}`"
            + string.Concat(p.Tools.Skip(1).Select(t => $" (or `--from {t}`)")) + ", then run `stepwise up` for the rest",
        ForeignHistoryDirty => "golang-migrate's schema_migrations has no clean version: it is empty, or dirty after a failed migration (fix the schema, then `migrate force V`, or use `stepwise baseline V`)",
        UnknownTool p => $"unknown tool for --from: {p.Tool}",
        InvalidDatabaseUrl p => p.Message,
        InvalidBackfill { Down: true } p => $"rolling back {p.Version} {p.Name} failed: its down file cannot run as a backfill: {p.Reason}",
        InvalidBackfill p => $"{p.Version} {p.Name} cannot run as a backfill: {p.Reason}",
        _ when ExpandContractText.Problem(problem) is { } text => text,
        BackfillNameClash p => $"rolling back {p.Version} {p.Name}: the down backfill has the up backfill's checkpoint name ({p.Checkpoint}); give it its own name= or none",
        _ => problem.ToString(),
    };

    /// <summary>Who holds the migration lock, as far as the server tells.</summary>
    public static string Holder(LockHolder h, Stepwise.Sql.SqlDialect dialect = Stepwise.Sql.SqlDialect.PostgreSql)
    {
        if (h.LockFile is { } file)
        {
            return $"another process holding the lock file {file}";
        }

        var state = h.State is { Length: > 0 } s ? s + (h.Seconds is { } secs and >= 0 ? string.Create(CultureInfo.InvariantCulture, $" for {secs} s") : string.Empty) : null;
        if (dialect == Stepwise.Sql.SqlDialect.MySql)
        {
            // MySQL names its sessions connections: "server connection 67 (root, Query for 3 s: SELECT SLEEP(30))"
            var who = string.Join(", ", new[] { h.Application, state }.Where(d => !string.IsNullOrEmpty(d)));
            var what = who + (h.Query is { Length: > 0 } q ? (who.Length > 0 ? ": " : string.Empty) + q : string.Empty);
            return string.Create(CultureInfo.InvariantCulture, $"server connection {h.SessionId}{(what.Length > 0 ? $" ({what})" : string.Empty)}");
        }

        var details = string.Join(", ", new[] { h.Application, state, h.Query }.Where(d => !string.IsNullOrEmpty(d)));
        return string.Create(CultureInfo.InvariantCulture, $"server session {h.SessionId}{(details.Length > 0 ? $" ({details})" : string.Empty)}");
    }

    private static string EarlierFailureText(EarlierFailure p)
    {
        var j = p.Entry;
        var what = j.State == JournalState.Running ? "was interrupted" : "failed";
        var statement = j.FailedStatementIndex is { } i ? $" at statement {i + 1}" : string.Empty;
        var text = j.FailedStatement is { } t ? $": {OneLine(t)}" : string.Empty;
        var error = j.Error is { } e ? $" — {e}" : string.Empty;
        return $"{p.Version} {p.Name} {what}{statement}{text}{error}";
    }

    public static string Failure(MigrationFailure f)
    {
        if (f.Phase is not null)
        {
            return ExpandContractText.Failure(f);
        }

        var label = Label(f.Version, f.Name);
        if (f.Direction == MigrationDirection.Down)
        {
            return f.Mode == ExecutionMode.Backfill
                ? $"rolling back {label} failed: {f.Message}"
                : $"rolling back {label} failed at statement {(f.StatementIndex ?? 0) + 1}: {OneLine(f.Statement)} — {f.Message}";
        }

        if (f.Mode == ExecutionMode.Backfill)
        {
            return $"{label} failed: {f.Message}. Fix the cause, then `stepwise repair` and `stepwise up`";
        }

        var index = f.StatementIndex ?? 0;
        var reason = f.Kind switch
        {
            ErrorKind.LockTimeout => $"lock not granted after {f.Retries} retries: {f.Message}",
            ErrorKind.ConnectionLost => $"connection lost: {f.Message}",
            _ => f.Message,
        };
        var note = f.Record switch
        {
            FailureRecord.Untouched => " (rolled back; nothing was applied; run `stepwise up` again)",
            FailureRecord.NotWritten => " (the failure could not be written to the journal: the connection is gone; the journal still shows the migration as interrupted or pending)",
            _ => string.Empty,
        };
        var text = $"{label} failed at statement {index + 1} of {f.StatementCount}: {OneLine(f.Statement)} — {reason}{note}";
        if (f.RolledBackFrom is { } begin)
        {
            // the file's own transaction rolled back: only what ran before its BEGIN stays applied
            text += $". The file's transaction rolled back: statements {begin + 1}–{index + 1} were rolled back";
            return f.StatementsApplied switch
            {
                0 => text + "; nothing was applied. Fix the cause, then `stepwise repair` and `stepwise up`",
                1 => text + ". Statement 1 was applied and stays applied; fix the cause, then `stepwise repair` resumes at statement 2",
                var n => text + $". Statements 1–{n} were applied and stay applied; fix the cause, then `stepwise repair` resumes at statement {n + 1}",
            };
        }

        var inTransaction = f.Mode == ExecutionMode.Transaction;
        if (!inTransaction && f.StatementsApplied > 0)
        {
            return text + $". Statements 1–{f.StatementsApplied} were applied and stay applied; fix the cause, then `stepwise repair` resumes at statement {f.StatementsApplied + 1}";
        }

        return note.Length > 0 ? text
            : text + (inTransaction ? ". The migration was rolled back; fix it, then run `stepwise repair` and `stepwise up`" : ". Fix the cause, then `stepwise repair` and `stepwise up`");
    }

    public static IEnumerable<string> Note(RunNote note)
    {
        switch (note)
        {
            case ClearedFailure n:
                yield return $"{n.Version} {n.Name}: cleared the failed state; it is pending again";
                break;
            case WillResume n:
                yield return $"{n.Version} {n.Name}: `stepwise up` will resume at statement {n.StatementIndex + 1}";
                break;
            case ForgotMissing n:
                yield return $"{n.Version} {n.Name}: its file is gone; forgot its record";
                break;
            case AcceptedChecksum n:
                yield return $"{n.Version} {n.Name}: accepted the changed file's checksum";
                break;
            case Forced n:
                yield return $"recorded version {n.Version}: {n.Recorded} migration(s) marked applied, {n.Removed} record(s) removed; no SQL was run";
                break;
            case Baselined n:
                yield return $"baseline: recorded {n.Recorded} migration(s) as applied{(n.Tool is null ? string.Empty : " from " + n.Tool + "'s history")}; no SQL was run";
                if (n.Unmatched.Count > 0)
                {
                    // said, not silently dropped: the schema has changes no file here describes
                    yield return $"note: {n.Unmatched.Count} version(s) in {n.Tool}'s history have no migration file in {n.Directory} and were not recorded: {string.Join(", ", n.Unmatched.Take(10))}{(n.Unmatched.Count > 10 ? ", …" : string.Empty)}";
                }

                break;
            case StoppedBackfill { Direction: MigrationDirection.Down } n:
                yield return $"rolling back {n.Version} {n.Name}: {n.Backfill.Message}; run `stepwise down` again to continue";
                break;
            case StoppedBackfill n:
                yield return $"{n.Version} {n.Name}: {n.Backfill.Message}";
                break;
            default:
                foreach (var line in ExpandContractText.Note(note))
                {
                    yield return line;
                }

                break;
        }
    }

    public static string PlanLine(PlannedStep s)
    {
        var head = $"{(s.Direction == MigrationDirection.Down ? "would roll back" : "would apply")} {s.Version} {s.Name}";
        if (s.InvalidBackfill)
        {
            return $"{head}: cannot run as a backfill: {s.BackfillProblem}";
        }

        if (s.Mode == ExecutionMode.ExpandContract)
        {
            return s.ExpandContractProblem is { } why ? $"{head}: cannot run as expand/contract: {why}"
                : s.Direction == MigrationDirection.Down ? $"{head}: abort of an expand/contract migration ({s.StatementCount} step(s))"
                : $"{head}: expand phase of an expand/contract migration (planned against the database when it runs; then `stepwise complete`)";
        }

        if (s.Backfill is { } spec)
        {
            var what = $"backfill of {spec.Table} (SET {spec.Set}{(spec.Where is null ? string.Empty : " WHERE " + spec.Where)})";
            return s.BackfillPlan is { } plan
                ? $"{head}: {what} in {BackfillPlanText(spec, plan)}"
                : $"{head}: {what} in keyset batches; not checked against the database yet: {s.BackfillProblem}";
        }

        return $"{head} ({s.StatementCount} statement(s), {(s.Mode == ExecutionMode.Transaction ? "in one transaction" : "statement by statement: " + s.NoTransactionReason)})";
    }

    public static string BackfillPlanText(BackfillSpec spec, BackfillPlan plan)
    {
        var size = plan.BatchTime is { } t ? FormattableString.Invariant($"batches aimed at {t.TotalMilliseconds:0} ms") : FormattableString.Invariant($"batches of {plan.BatchSize:N0} rows");
        var c = plan.Checkpoint;
        var state = c switch
        {
            { State: BackfillState.Done } => FormattableString.Invariant($"; checkpoint {spec.Name} is finished ({c.RowsDone:N0} rows): nothing to do"),
            not null => FormattableString.Invariant($"; resumes checkpoint {spec.Name} after {c.RowsDone:N0} rows ({Batches(c.Batches)})"),
            null => string.Empty,
        };
        var rows = plan.EstimatedRows is { } n ? FormattableString.Invariant($", about {n:N0} rows") : string.Empty;
        return $"keyset {size} on ({string.Join(", ", plan.Key.Select(k => k.Name))}){rows}{state}";
    }

    private static string Batches(long n) => n == 1 ? "1 batch" : n.ToString("N0", CultureInfo.InvariantCulture) + " batches";

    /// <summary>`up`'s last line: expanded migrations (`-- stepwise:expand-contract`) are counted apart from applied ones.</summary>
    private static string UpSummary(RunResult result)
    {
        if (result.Done.Count == 0)
        {
            return "nothing to apply: the database is up to date";
        }

        var expanded = result.Notes.OfType<MigrationExpanded>().Select(n => n.Version).ToHashSet(StringComparer.Ordinal);
        var applied = result.Done.Count(v => !expanded.Contains(v));
        return expanded.Count == 0 ? $"applied {applied} migration(s)"
            : applied == 0 ? $"expanded {expanded.Count} migration(s)"
            : $"applied {applied} migration(s), expanded {expanded.Count}";
    }
}
