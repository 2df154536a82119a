using System.Diagnostics;
using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Layouts;
using Stepwise.Sql;

namespace Stepwise.Migrations.Running;

/// <summary>Applies, rolls back and tracks migrations. Every public method returns a result; database and
/// input errors never escape as exceptions (except cancellation).</summary>
public sealed class MigrationRunner
{
    private readonly Func<DatabaseTarget, IMigrationEngine> _engines;

    public MigrationRunner(Func<DatabaseTarget, IMigrationEngine> engines)
    {
        _engines = engines;
    }

    // ---- folder ------------------------------------------------------------------------------------

    private sealed record Folder(FolderLoadResult Load, List<Migration> Versioned, List<Migration> Repeatable);

    private static (Folder? Folder, RunResult? Error) LoadFolder(RunnerOptions options)
    {
        if (!System.IO.Directory.Exists(options.Directory))
        {
            return (null, RunResult.Input($"migrations folder not found: {options.Directory}"));
        }

        var load = MigrationFolder.Load(options.Directory, options.Layout);
        var errors = load.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            return (null, new RunResult(RunOutcome.InputError, errors.Select(p => $"{p.Path}: {p.Message}").ToList()));
        }

        var versioned = load.Migrations.Where(m => m.Kind != MigrationKind.Repeatable).ToList();
        var repeatable = load.Migrations.Where(m => m.Kind == MigrationKind.Repeatable).ToList();
        return (new Folder(load, versioned, repeatable), null);
    }

    private static string JournalVersion(Migration m) => m.Kind switch
    {
        MigrationKind.Repeatable => "R__" + m.Name,
        MigrationKind.Baseline => "B" + m.Version, // beside a V script of the same version
        _ => m.Version,
    };

    public static string Checksum(MigrationScript script) => Checksums.Sha256Normalized(script.Text);

    private static List<MigrationStatus> Statuses(Folder folder, IReadOnlyList<JournalEntry> journal, string? targetVersion = null)
    {
        var byVersion = journal.ToDictionary(j => j.Version, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MigrationStatus>();
        var baseline = ChosenBaseline(folder, journal, byVersion, targetVersion);
        var floor = baseline is null ? null : VersionKey.Dotted(baseline.Version, MigrationKind.Versioned);
        foreach (var m in folder.Versioned.Concat(folder.Repeatable))
        {
            var version = JournalVersion(m);
            seen.Add(version);
            if (!byVersion.TryGetValue(version, out var entry))
            {
                var skipped = m.Kind == MigrationKind.Baseline ? m != baseline : m.Kind == MigrationKind.Versioned && floor is not null && m.OrderKey.CompareTo(floor) <= 0;
                result.Add(new MigrationStatus(version, m.Name, skipped ? MigrationStatusKind.Skipped : MigrationStatusKind.Pending, null, m));
                continue;
            }

            var state = entry.State != JournalState.Applied ? MigrationStatusKind.Failed
                : !string.Equals(entry.Checksum, Checksum(m.Up), StringComparison.Ordinal)
                    ? (m.Kind == MigrationKind.Repeatable ? MigrationStatusKind.Pending : MigrationStatusKind.Changed)
                    : MigrationStatusKind.Applied;
            result.Add(new MigrationStatus(version, m.Name, state, entry, m));
        }

        // applied versions whose file is gone; for versions recorded by `baseline`/`force` there may be no file
        foreach (var entry in journal.Where(j => !seen.Contains(j.Version)))
        {
            result.Add(new MigrationStatus(entry.Version, entry.Name, entry.State == JournalState.Applied ? MigrationStatusKind.Missing : MigrationStatusKind.Failed, entry, null));
        }

        return result;
    }

    /// <summary>
    /// Flyway baseline migrations (<c>B{version}__…</c>): the one already applied, else — on a database with no
    /// history at all — the newest one up to the target, which then stands for every versioned migration up
    /// to its version. A database with history ignores them, as Flyway does.
    /// </summary>
    private static Migration? ChosenBaseline(Folder folder, IReadOnlyList<JournalEntry> journal, Dictionary<string, JournalEntry> byVersion, string? targetVersion)
    {
        var baselines = folder.Versioned.Where(m => m.Kind == MigrationKind.Baseline).ToList();
        if (baselines.Count == 0)
        {
            return null;
        }

        var applied = baselines.LastOrDefault(b => byVersion.ContainsKey(JournalVersion(b)));
        if (applied is not null || journal.Count > 0)
        {
            return applied;
        }

        var target = targetVersion is null ? null : VersionKey.Dotted(targetVersion, MigrationKind.Versioned);
        return baselines.LastOrDefault(b => target is null || VersionKey.Dotted(b.Version, MigrationKind.Versioned).CompareTo(target) <= 0);
    }

    // ---- connection --------------------------------------------------------------------------------

    private async Task<(IMigrationEngine? Engine, RunResult? Error)> ConnectAsync(DatabaseTarget target, CancellationToken ct, IProgress<RunnerEvent>? progress = null)
    {
        var engine = _engines(target);
        if (progress is not null && engine is IReportsDatabaseLockWait waits)
        {
            waits.WaitingForDatabaseLock = message => progress.Report(new RunnerEvent(RunnerEventKind.Waiting, message));
        }

        try
        {
            await engine.ConnectAsync(ct).ConfigureAwait(false);
            return (engine, null);
        }
        catch (EngineException ex)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            return (null, RunResult.Input($"cannot connect to {target.Redacted}: {target.Scrub(ex.Message)}"));
        }
    }

    public async Task<RunResult> StatusAsync(RunnerOptions options, DatabaseTarget target, CancellationToken ct)
    {
        var (folder, error) = LoadFolder(options);
        if (folder is null)
        {
            return error!;
        }

        var (engine, connectError) = await ConnectAsync(target, ct).ConfigureAwait(false);
        if (engine is null)
        {
            return connectError!;
        }

        await using (engine.ConfigureAwait(false))
        {
            try
            {
                var (journal, holder) = await RunnerChecks.RunningHolderAsync(engine, await engine.ReadJournalAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                var (statuses, messages) = RunnerChecks.MarkRunning(Statuses(folder, journal), holder, target);

                var act = statuses.Any(s => s.State is MigrationStatusKind.Changed or MigrationStatusKind.Failed or MigrationStatusKind.Missing);
                return new RunResult(act ? RunOutcome.ActionNeeded : RunOutcome.Ok, messages) { Statuses = statuses };
            }
            catch (EngineException ex)
            {
                return RunnerChecks.EngineFailure(target, ex);
            }
            catch (CorruptJournalException ex)
            {
                return RunnerChecks.Corrupt(ex);
            }
        }
    }

    /// <summary>Checks files against the journal: changed applied files, missing files, failed migrations.</summary>
    public async Task<RunResult> ValidateAsync(RunnerOptions options, DatabaseTarget target, CancellationToken ct)
    {
        var status = await StatusAsync(options, target, ct).ConfigureAwait(false);
        if (status.Outcome == RunOutcome.InputError || status.Problem is not null)
        {
            return status;
        }

        var messages = new List<string>();
        foreach (var s in status.Statuses)
        {
            switch (s.State)
            {
                case MigrationStatusKind.Changed:
                    messages.Add($"{s.Version} {s.Name}: applied, but its file changed since (checksum {Short(s.Journal!.Checksum)} → {Short(Checksum(s.File!.Up))}); restore the file, or run `stepwise repair` to accept it");
                    break;
                case MigrationStatusKind.Missing:
                    messages.Add($"{s.Version} {s.Name}: applied, but no file has this version; restore the file, or run `stepwise repair` to forget its record");
                    break;
                case MigrationStatusKind.Failed:
                    messages.Add(FailureText(s));
                    break;
            }
        }

        var outcome = status.Statuses.Any(s => s.State is MigrationStatusKind.Changed or MigrationStatusKind.Failed or MigrationStatusKind.Missing) ? RunOutcome.ActionNeeded : RunOutcome.Ok;
        return status with { Outcome = outcome, Messages = messages };
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;

    private static string FailureText(MigrationStatus s)
    {
        var j = s.Journal!;
        var what = j.State == JournalState.Running ? "was interrupted" : "failed";
        var statement = j.FailedStatementIndex is { } i ? $" at statement {i + 1}" : string.Empty;
        var text = j.FailedStatement is { } t ? $": {OneLine(t)}" : string.Empty;
        var error = j.Error is { } e ? $" — {e}" : string.Empty;
        return $"{s.Version} {s.Name} {what}{statement}{text}{error}";
    }

    internal static string OneLine(string sql)
    {
        var one = string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return one.Length > 160 ? one[..157] + "..." : one;
    }

    // ---- up ----------------------------------------------------------------------------------------

    public async Task<RunResult> UpAsync(RunnerOptions options, DatabaseTarget target, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var (folder, error) = LoadFolder(options);
        if (folder is null)
        {
            return error!;
        }

        if (RunnerChecks.UnknownVersion(folder.Load.Layout, folder.Versioned, options.TargetVersion, allowZero: false) is { } unknown)
        {
            return unknown;
        }

        var (engine, connectError) = await ConnectAsync(target, ct, progress).ConfigureAwait(false);
        if (engine is null)
        {
            return connectError!;
        }

        await using (engine.ConfigureAwait(false))
        {
            progress?.Report(new RunnerEvent(RunnerEventKind.Connected, $"connected to {target.Redacted} ({engine.ServerVersion})"));
            try
            {
                if (!await engine.TryLockAsync(options.LockWait, ct).ConfigureAwait(false))
                {
                    return RunResult.Act(await LockBusyAsync(engine, target, options, ct).ConfigureAwait(false));
                }

                try
                {
                    if (!options.DryRun)
                    {
                        // a dry run changes nothing, not even by creating the journal table (reading a missing one gives no rows)
                        await engine.EnsureJournalAsync(ct).ConfigureAwait(false);
                    }

                    progress?.Report(new RunnerEvent(RunnerEventKind.Locked, "migration lock taken"));
                    return await UpLockedAsync(options, target, engine, folder, progress, ct).ConfigureAwait(false);
                }
                finally
                {
                    await engine.UnlockAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (EngineException ex)
            {
                return RunnerChecks.EngineFailure(target, ex);
            }
            catch (CorruptJournalException ex)
            {
                return RunnerChecks.Corrupt(ex);
            }
        }
    }

    private async Task<RunResult> UpLockedAsync(RunnerOptions options, DatabaseTarget target, IMigrationEngine engine, Folder folder, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var journal = await engine.ReadJournalAsync(ct).ConfigureAwait(false);
        var statuses = Statuses(folder, journal, folder.Load.Layout == LayoutKind.Flyway ? options.TargetVersion : null);
        var changed = statuses.Where(s => s.State == MigrationStatusKind.Changed).ToList();
        if (changed.Count > 0)
        {
            return new RunResult(RunOutcome.ActionNeeded, changed.Select(s => $"{s.Version} {s.Name} was applied, but its file changed since; restore it (history is append-only: add a new migration instead), or run `stepwise repair` to accept the change").ToList()) { Statuses = statuses };
        }

        var missing = statuses.Where(s => s.State == MigrationStatusKind.Missing).ToList();
        if (missing.Count > 0)
        {
            return new RunResult(RunOutcome.ActionNeeded, missing.Select(s => $"{s.Version} {s.Name} was applied, but no file has this version; restore the file, or run `stepwise repair` to forget its record").ToList()) { Statuses = statuses };
        }

        var failed = statuses.Where(s => s.State == MigrationStatusKind.Failed && s.Journal!.State == JournalState.Failed).ToList();
        if (failed.Count > 0)
        {
            return new RunResult(RunOutcome.ActionNeeded, failed.Select(s => FailureText(s) + ". Fix the cause (and the file), then run `stepwise repair` to resume, or `stepwise force VERSION` to set the recorded version.").ToList()) { Statuses = statuses };
        }

        var applied = statuses.Where(s => s.State == MigrationStatusKind.Applied && s.File?.Kind != MigrationKind.Repeatable).ToList();
        var newest = applied.Where(s => s.File is not null).Select(s => s.File!.OrderKey).Max();
        var interrupted = statuses.Where(s => s.Journal?.State == JournalState.Running && s.File is not null).Select(s => s.File!).ToList();
        var pending = statuses.Where(s => s.State == MigrationStatusKind.Pending && s.File is not null).Select(s => s.File!).ToList();
        if (options.TargetVersion is { } to)
        {
            var toKey = VersionKey.Parse(folder.Load.Layout, to);
            pending = pending.Where(m => m.Kind == MigrationKind.Repeatable || m.OrderKey.CompareTo(toKey) <= 0).ToList();
        }

        if (!options.AllowOutOfOrder && newest is not null)
        {
            var early = pending.Where(m => m.Kind != MigrationKind.Repeatable && m.OrderKey.CompareTo(newest) < 0).ToList();
            if (early.Count > 0)
            {
                return new RunResult(RunOutcome.ActionNeeded, early.Select(m => $"{m.Version} {m.Name} is pending but older than the newest applied migration; renumber it, or pass --allow-out-of-order").ToList()) { Statuses = statuses };
            }
        }

        var toRun = interrupted.Concat(pending).ToList();
        if (!options.AllowUnsafe && toRun.Count > 0)
        {
            var refusal = LintGate(folder, toRun, options.Lint with { Dialect = engine.Dialect, PgVersion = engine.PgMajorVersion > 0 ? engine.PgMajorVersion : options.Lint.PgVersion });
            if (refusal is not null)
            {
                return new RunResult(RunOutcome.ActionNeeded, [$"lint found {refusal.Findings.Count(f => f.Severity == Severity.Error)} error(s) in pending migrations; fix them, suppress them with a reason (-- stepwise:ignore <rule> <reason>), or pass --allow-unsafe"]) { LintRefusal = refusal, Statuses = statuses };
            }
        }

        var units = toRun.Select(m => MigrationUnit.Build(m, m.Up, engine.Dialect, engine.PgMajorVersion)).ToList();
        if (options.DryRun)
        {
            var plan = new List<string>();
            foreach (var u in units)
            {
                plan.Add(await DryRunLineAsync(engine, u, "would apply", ct).ConfigureAwait(false));
            }

            if (plan.Count == 0)
            {
                plan.Add("nothing to apply");
            }

            return new RunResult(RunOutcome.Ok, plan) { Statuses = statuses };
        }

        var done = new List<string>();
        foreach (var unit in units)
        {
            ct.ThrowIfCancellationRequested();
            var interruptedRow = journal.FirstOrDefault(j => j.Version == JournalVersion(unit.Migration) && j.State == JournalState.Running);
            var failure = await ApplyAsync(options, target, engine, unit, interruptedRow?.StatementsDone ?? 0, interruptedRow is not null, progress, ct).ConfigureAwait(false);
            if (failure is not null)
            {
                return new RunResult(RunOutcome.ActionNeeded, [failure]) { Applied = done, Statuses = statuses };
            }

            done.Add(JournalVersion(unit.Migration));
        }

        return new RunResult(RunOutcome.Ok, done.Count == 0 ? ["nothing to apply: the database is up to date"] : [$"applied {done.Count} migration(s)"]) { Applied = done, Statuses = statuses };
    }

    /// <summary>The message when the migration lock stayed taken: who holds it, when the server can tell. A
    /// statement of an earlier run that was killed can still be running on the server and hold it.</summary>
    private static async Task<string> LockBusyAsync(IMigrationEngine engine, DatabaseTarget target, RunnerOptions options, CancellationToken ct)
    {
        string? holder = null;
        try
        {
            holder = await engine.LockHolderAsync(ct).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // only for the message
        }

        return $"another stepwise run holds the migration lock on {target.Redacted}; gave up after {options.LockWait.TotalSeconds:0} s"
            + (holder is null ? string.Empty : $". Held by {target.Scrub(holder)} — if that is an earlier run that was killed, its last statement is still running on the server; wait for it, or cancel it there");
    }

    /// <summary>One line of a --dry-run plan: what runs, and how (one transaction, statement by statement, or in batches).</summary>
    private static async Task<string> DryRunLineAsync(IMigrationEngine engine, MigrationUnit unit, string verb, CancellationToken ct)
    {
        var head = $"{verb} {JournalVersion(unit.Migration)} {unit.Migration.Name}";
        if (unit.BackfillError is { } error)
        {
            return $"{head}: cannot run as a backfill: {error}";
        }

        if (unit.Backfill is { } spec)
        {
            var (plan, problem) = await BackfillRunner.PlanAsync(engine, spec, ct).ConfigureAwait(false);
            var what = $"backfill of {spec.Table} (SET {spec.Set}{(spec.Where is null ? string.Empty : " WHERE " + spec.Where)})";
            return plan is not null
                ? $"{head}: {what} in {plan}"
                : $"{head}: {what} in keyset batches; not checked against the database yet: {problem}";
        }

        return $"{head} ({unit.Statements.Count} statement(s), {(unit.InTransaction ? "in one transaction" : "statement by statement: " + unit.NoTransactionReason)})";
    }

    /// <summary>Lints the whole folder (so the schema replay sees every earlier migration) and keeps the
    /// error findings of the migrations about to run.</summary>
    private static LintReport? LintGate(Folder folder, List<Migration> toRun, LintOptions lint)
    {
        var sources = new List<LintInput>();
        foreach (var m in folder.Load.Migrations)
        {
            sources.Add(new LintInput(new SourceText(m.Up.Text, m.Up.Path)) { NoTransaction = m.Up.NoTransaction, BreakpointComment = m.Up.BreakpointComment });
        }

        var report = Linter.Lint(sources, lint);
        var paths = toRun.Select(m => m.Up.Path).ToHashSet(StringComparer.Ordinal);
        var errors = report.Findings.Where(f => f.Severity == Severity.Error && paths.Contains(f.Path)).ToList();
        return errors.Count == 0 ? null : new LintReport(toRun.Count, errors);
    }

    private JournalEntry Entry(MigrationUnit unit, RunnerOptions options, JournalState state) => new()
    {
        Version = JournalVersion(unit.Migration),
        Name = unit.Migration.Name,
        Checksum = Checksum(unit.Script),
        State = state,
        AppliedAt = DateTimeOffset.UtcNow,
        AppliedBy = options.AppliedBy,
    };

    private ExecutionLimits Limits(RunnerOptions options, bool weak) =>
        weak ? new ExecutionLimits(options.WeakLockTimeout, TimeSpan.Zero) : new ExecutionLimits(options.LockTimeout, options.StatementTimeout);

    private static TimeSpan Backoff(RunnerOptions options, int attempt)
    {
        var exp = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt);
        var capped = Math.Min(exp, options.RetryMaxDelay.TotalMilliseconds);
        // full jitter in [capped/2, capped] so concurrent runners don't retry in lockstep
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>Applies one unit; returns null on success or the failure message (already journaled).</summary>
    private async Task<string?> ApplyAsync(RunnerOptions options, DatabaseTarget target, IMigrationEngine engine, MigrationUnit unit, int resumeFrom, bool resuming, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var version = JournalVersion(unit.Migration);
        var label = $"{version} {unit.Migration.Name}";
        progress?.Report(new RunnerEvent(RunnerEventKind.Applying, resuming ? $"resuming {label} at statement {resumeFrom + 1}" : $"applying {label}", version, resumeFrom, unit.Statements.Count));
        var clock = Stopwatch.StartNew();
        if (unit.Backfill is not null || unit.BackfillError is not null)
        {
            return await ApplyBackfillAsync(options, target, engine, unit, label, clock, progress, ct).ConfigureAwait(false);
        }

        if (unit.InTransaction)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var limits = Limits(options, unit.UsesWeakLock.Count > 0 && unit.UsesWeakLock.All(w => w));
                    await engine.ExecuteInTransactionAsync(unit.Statements, JournalChange.Record(Entry(unit, options, JournalState.Applied) with { DurationMs = clock.ElapsedMilliseconds }), limits, ct).ConfigureAwait(false);
                    progress?.Report(new RunnerEvent(RunnerEventKind.Applied, $"applied {label} in {clock.ElapsedMilliseconds} ms", version));
                    return null;
                }
                catch (EngineException ex) when (ex.Kind == FailureKind.LockTimeout && attempt < options.MaxRetries)
                {
                    var delay = Backoff(options, attempt);
                    progress?.Report(new RunnerEvent(RunnerEventKind.Retrying, $"{label}: lock not granted within {options.LockTimeout.TotalMilliseconds:0} ms; retry {attempt + 1}/{options.MaxRetries} in {delay.TotalMilliseconds:0} ms", version, ex.StatementIndex));
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (EngineException ex)
                {
                    return await RecordFailureAsync(options, target, engine, unit, ex, ex.StatementIndex ?? 0, progress, ct).ConfigureAwait(false);
                }
            }
        }

        await engine.WriteJournalAsync(Entry(unit, options, JournalState.Running) with { StatementsDone = resumeFrom }, ct).ConfigureAwait(false);
        for (var i = resumeFrom; i < unit.Statements.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new RunnerEvent(RunnerEventKind.Statement, OneLine(unit.Statements[i]), version, i, unit.Statements.Count));
            var recorded = false;
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if (unit.JoinsTransaction[i])
                    {
                        // it may run in a transaction: it commits with its progress record, so a run that dies
                        // right after it (kill -9, lost connection) never leaves it done but unrecorded
                        await engine.ExecuteInTransactionAsync([unit.Statements[i]], JournalChange.Record(Entry(unit, options, JournalState.Running) with { StatementsDone = i + 1 }), Limits(options, unit.UsesWeakLock[i]), ct).ConfigureAwait(false);
                        recorded = true;
                        break;
                    }

                    // an interrupted build (kill -9, lost connection) left an INVALID index of this name: drop it,
                    // or the build fails with "already exists" (or IF NOT EXISTS keeps the broken one)
                    await DropInvalidIndexAsync(engine, unit, i, ct).ConfigureAwait(false);
                    await engine.ExecuteAsync(unit.Statements[i], Limits(options, unit.UsesWeakLock[i]), ct).ConfigureAwait(false);
                    break;
                }
                catch (EngineException ex) when (i == resumeFrom && resuming && IsAlreadyDone(ex))
                {
                    // the previous run died after this statement committed but before it was journaled
                    // (also the first one: MySQL finishes a DDL statement whose client was killed)
                    break;
                }
                catch (EngineException ex) when (ex.Kind == FailureKind.LockTimeout && attempt < options.MaxRetries)
                {
                    var delay = Backoff(options, attempt);
                    progress?.Report(new RunnerEvent(RunnerEventKind.Retrying, $"{label} statement {i + 1}: lock not granted; retry {attempt + 1}/{options.MaxRetries} in {delay.TotalMilliseconds:0} ms", version, i));
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (EngineException ex)
                {
                    await DropInvalidIndexAsync(engine, unit, i, ct).ConfigureAwait(false);
                    return await RecordFailureAsync(options, target, engine, unit, ex, i, progress, ct).ConfigureAwait(false);
                }
            }

            if (!recorded)
            {
                await engine.WriteJournalAsync(Entry(unit, options, JournalState.Running) with { StatementsDone = i + 1 }, ct).ConfigureAwait(false);
            }
        }

        await engine.WriteJournalAsync(Entry(unit, options, JournalState.Applied) with { StatementsDone = unit.Statements.Count, DurationMs = clock.ElapsedMilliseconds }, ct).ConfigureAwait(false);
        progress?.Report(new RunnerEvent(RunnerEventKind.Applied, $"applied {label} in {clock.ElapsedMilliseconds} ms", version));
        return null;
    }

    /// <summary>A `-- stepwise:backfill` file: journaled as running while its batches commit (each with its checkpoint),
    /// so a killed `up` resumes the backfill from the checkpoint on the next `up`.</summary>
    private async Task<string?> ApplyBackfillAsync(RunnerOptions options, DatabaseTarget target, IMigrationEngine engine, MigrationUnit unit, string label, Stopwatch clock, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var version = JournalVersion(unit.Migration);
        if (unit.Backfill is not { } spec)
        {
            // nothing ran: no journal row, nothing to repair; the file needs fixing (lint reports it as invalid-backfill)
            return $"{label} cannot run as a backfill: {unit.BackfillError}";
        }

        await engine.WriteJournalAsync(Entry(unit, options, JournalState.Running), ct).ConfigureAwait(false);
        var batches = new BackfillEvents(progress, spec.Table, version);
        var result = await BackfillRunner.RunAsync(engine, target, spec, batches, ct, connect: false).ConfigureAwait(false);

        if (result.Outcome is BackfillOutcome.Done or BackfillOutcome.AlreadyDone)
        {
            await engine.WriteJournalAsync(Entry(unit, options, JournalState.Applied) with { StatementsDone = unit.Statements.Count, DurationMs = clock.ElapsedMilliseconds }, ct).ConfigureAwait(false);
            progress?.Report(new RunnerEvent(RunnerEventKind.Applied, $"applied {label} ({result.Message}) in {clock.ElapsedMilliseconds} ms", version));
            return null;
        }

        if (result.Outcome == BackfillOutcome.Stopped)
        {
            return $"{label}: {result.Message}"; // still journaled as running: the next `up` resumes it
        }

        var text = $"{label} failed: {result.Message}";
        await engine.WriteJournalAsync(Entry(unit, options, JournalState.Failed) with { Error = result.Message, FailedStatementIndex = 0, FailedStatement = unit.Statements.FirstOrDefault() }, ct).ConfigureAwait(false);
        return text + ". Fix the cause, then `stepwise repair` and `stepwise up`";
    }

    private static bool IsAlreadyDone(EngineException ex) =>
        ex.SqlState is "42P07" or "42701" or "42710" or "42P06" or "42704" or "42703" or "42P01" // PostgreSQL: duplicate_* / undefined_* (a DROP already done)
            or "1050" or "1060" or "1061" or "1091" or "1146"; // MySQL: table/column/key exists, can't drop, no such table

    /// <summary>A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind (and IF NOT EXISTS would
    /// then hide it): drop it so a retry, or the next run, builds it again.</summary>
    private static async Task DropInvalidIndexAsync(IMigrationEngine engine, MigrationUnit unit, int index, CancellationToken ct)
    {
        if (unit.ConcurrentIndexNames[index] is not { } name)
        {
            return;
        }

        try
        {
            foreach (var invalid in await engine.FindInvalidIndexesAsync([name], ct).ConfigureAwait(false))
            {
                await engine.ExecuteAsync($"DROP INDEX CONCURRENTLY IF EXISTS {invalid}", new ExecutionLimits(TimeSpan.FromSeconds(30), TimeSpan.Zero), ct).ConfigureAwait(false);
            }
        }
        catch (EngineException)
        {
            // the connection may be gone; the next run finds and drops it before building again
        }
    }

    private async Task<string> RecordFailureAsync(RunnerOptions options, DatabaseTarget target, IMigrationEngine engine, MigrationUnit unit, EngineException ex, int statementIndex, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var version = JournalVersion(unit.Migration);
        var message = target.Scrub(ex.Message);
        var statement = statementIndex < unit.Statements.Count ? unit.Statements[statementIndex] : string.Empty;
        var reason = ex.Kind switch
        {
            FailureKind.LockTimeout => $"lock not granted after {options.MaxRetries} retries: {message}",
            FailureKind.Connection => $"connection lost: {message}",
            _ => message,
        };
        var applied = unit.InTransaction ? 0 : statementIndex;
        var entry = Entry(unit, options, JournalState.Failed) with
        {
            StatementsDone = applied,
            FailedStatementIndex = statementIndex,
            FailedStatement = statement,
            Error = reason,
        };
        var note = string.Empty;
        if (unit.InTransaction && ex.Kind != FailureKind.Statement)
        {
            // rolled back and nothing is half-done: leave the journal as it was, so the next `up` simply retries
            note = " (rolled back; nothing was applied; run `stepwise up` again)";
        }
        else
        {
            try
            {
                await engine.WriteJournalAsync(entry, CancellationToken.None).ConfigureAwait(false);
            }
            catch (EngineException)
            {
                note = " (the failure could not be written to the journal: the connection is gone; the journal still shows the migration as interrupted or pending)";
            }
        }

        var text = $"{version} {unit.Migration.Name} failed at statement {statementIndex + 1} of {unit.Statements.Count}: {OneLine(statement)} — {reason}{note}";
        if (!unit.InTransaction && statementIndex > 0)
        {
            text += $". Statements 1–{statementIndex} were applied and stay applied; fix the cause, then `stepwise repair` resumes at statement {statementIndex + 1}";
        }
        else if (note.Length == 0)
        {
            text += unit.InTransaction ? ". The migration was rolled back; fix it, then run `stepwise repair` and `stepwise up`" : ". Fix the cause, then `stepwise repair` and `stepwise up`";
        }

        progress?.Report(new RunnerEvent(RunnerEventKind.Failed, text, version, statementIndex));
        return text;
    }

    // ---- down --------------------------------------------------------------------------------------

    /// <summary>Rolls back the newest <paramref name="count"/> applied migrations, or down to (not including) TargetVersion.</summary>
    public Task<RunResult> DownAsync(RunnerOptions options, DatabaseTarget target, int count, IProgress<RunnerEvent>? progress, CancellationToken ct) =>
        options.TargetVersion is null && count < 1 ? Task.FromResult(RunResult.Input($"the number of migrations to roll back must be at least 1 (got {count})")) :
        WithJournalAsync(options, target, ct, async (engine, folder, statuses) =>
        {
            if (RunnerChecks.UnknownVersion(folder.Load.Layout, folder.Versioned, options.TargetVersion, allowZero: true) is { } unknown)
            {
                return unknown;
            }

            var applied = statuses.Where(s => s.State is MigrationStatusKind.Applied or MigrationStatusKind.Changed && s.File is { Kind: MigrationKind.Versioned })
                .OrderByDescending(s => s.File!.OrderKey).ToList();
            List<MigrationStatus> toUndo;
            if (options.TargetVersion is { } to)
            {
                var key = VersionKey.Parse(folder.Load.Layout, to);
                toUndo = applied.Where(s => s.File!.OrderKey.CompareTo(key) > 0).ToList();
            }
            else
            {
                toUndo = applied.Take(Math.Max(0, count)).ToList();
            }

            var missingDown = toUndo.FirstOrDefault(s => s.File!.Down is null);
            if (missingDown is not null)
            {
                return RunResult.Act($"{missingDown.Version} {missingDown.Name} has no down migration; nothing was rolled back");
            }

            if (options.DryRun)
            {
                var plan = new List<string>();
                foreach (var s in toUndo)
                {
                    var down = MigrationUnit.Build(s.File!, s.File!.Down!, engine.Dialect, engine.PgMajorVersion);
                    plan.Add(await DryRunLineAsync(engine, down, "would roll back", ct).ConfigureAwait(false));
                }

                return new RunResult(RunOutcome.Ok, plan.Count == 0 ? ["nothing to roll back"] : plan);
            }

            var done = new List<string>();
            foreach (var s in toUndo)
            {
                var unit = MigrationUnit.Build(s.File!, s.File!.Down!, engine.Dialect, engine.PgMajorVersion);
                var up = MigrationUnit.Build(s.File!, s.File!.Up, engine.Dialect, engine.PgMajorVersion);
                var failure = up.Backfill is not null || unit.Backfill is not null || unit.BackfillError is not null
                    ? await RollBackBackfillAsync(options, target, engine, up, unit, progress, ct).ConfigureAwait(false)
                    : await RollBackAsync(options, target, engine, unit, progress, ct).ConfigureAwait(false);
                if (failure is not null)
                {
                    return new RunResult(RunOutcome.ActionNeeded, [failure]) { Applied = done };
                }

                done.Add(s.Version);
            }

            return new RunResult(RunOutcome.Ok, [done.Count == 0 ? "nothing to roll back" : $"rolled back {done.Count} migration(s)"]) { Applied = done };
        }, ensureJournal: !options.DryRun, progress);

    /// <summary>Rolls back a migration whose up or down file is a backfill: the down backfill runs in batches
    /// (resumable: a killed `down` continues from its checkpoint), then both checkpoints are forgotten before
    /// the journal row goes, so a later `up` runs the backfill again rather than finding it finished.</summary>
    private async Task<string?> RollBackBackfillAsync(RunnerOptions options, DatabaseTarget target, IMigrationEngine engine, MigrationUnit up, MigrationUnit down, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var version = JournalVersion(down.Migration);
        var label = $"{version} {down.Migration.Name}";
        if (down.BackfillError is { } error)
        {
            return $"rolling back {label} failed: its down file cannot run as a backfill: {error}";
        }

        if (down.Backfill is not { } spec)
        {
            // a plain down undoes an up backfill: forget its checkpoint first (a run killed after this only
            // leaves the migration applied, and `down` again redoes it), then the down commits with the journal row's removal
            var forgotten = await ForgetBackfillsAsync(engine, target, label, [up.Backfill?.Name], ct).ConfigureAwait(false);
            return forgotten ?? await RollBackAsync(options, target, engine, down, progress, ct).ConfigureAwait(false);
        }

        if (string.Equals(spec.Name, up.Backfill?.Name, StringComparison.Ordinal))
        {
            return $"rolling back {label}: the down backfill has the up backfill's checkpoint name ({spec.Name}); give it its own name= or none";
        }

        progress?.Report(new RunnerEvent(RunnerEventKind.Applying, $"rolling back {label} (backfill of {spec.Table})", version));
        var batches = new BackfillEvents(progress, spec.Table, version);
        var result = await BackfillRunner.RunAsync(engine, target, spec, batches, ct, connect: false).ConfigureAwait(false);
        if (result.Outcome is not (BackfillOutcome.Done or BackfillOutcome.AlreadyDone))
        {
            return result.Outcome == BackfillOutcome.Stopped
                ? $"rolling back {label}: {result.Message}; run `stepwise down` again to continue"
                : $"rolling back {label} failed: {result.Message}";
        }

        // both checkpoints go before the journal row: a later `up` must not find the backfill finished
        var problem = await ForgetBackfillsAsync(engine, target, label, [up.Backfill?.Name, spec.Name], ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        await engine.DeleteJournalAsync(version, ct).ConfigureAwait(false);
        progress?.Report(new RunnerEvent(RunnerEventKind.RolledBack, $"rolled back {label}", version));
        return null;
    }

    private static async Task<string?> ForgetBackfillsAsync(IMigrationEngine engine, DatabaseTarget target, string label, string?[] names, CancellationToken ct)
    {
        try
        {
            foreach (var name in names.OfType<string>())
            {
                await BackfillRunner.ForgetAsync(engine, name, ct).ConfigureAwait(false);
            }

            return null;
        }
        catch (System.Data.Common.DbException ex)
        {
            return $"rolling back {label}: could not clear the backfill checkpoint: {target.Scrub(ex.Message)}";
        }
    }

    private async Task<string?> RollBackAsync(RunnerOptions options, DatabaseTarget target, IMigrationEngine engine, MigrationUnit unit, IProgress<RunnerEvent>? progress, CancellationToken ct)
    {
        var version = JournalVersion(unit.Migration);
        progress?.Report(new RunnerEvent(RunnerEventKind.Applying, $"rolling back {version} {unit.Migration.Name}", version, 0, unit.Statements.Count));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (unit.InTransaction)
                {
                    await engine.ExecuteInTransactionAsync(unit.Statements, JournalChange.Remove(version), Limits(options, false), ct).ConfigureAwait(false);
                }
                else
                {
                    for (var i = 0; i < unit.Statements.Count; i++)
                    {
                        await engine.ExecuteAsync(unit.Statements[i], Limits(options, unit.UsesWeakLock[i]), ct).ConfigureAwait(false);
                    }

                    await engine.DeleteJournalAsync(version, ct).ConfigureAwait(false);
                }

                progress?.Report(new RunnerEvent(RunnerEventKind.RolledBack, $"rolled back {version} {unit.Migration.Name}", version));
                return null;
            }
            catch (EngineException ex) when (ex.Kind == FailureKind.LockTimeout && attempt < options.MaxRetries && unit.InTransaction)
            {
                await Task.Delay(Backoff(options, attempt), ct).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                var index = ex.StatementIndex ?? 0;
                return $"rolling back {version} {unit.Migration.Name} failed at statement {index + 1}: {OneLine(index < unit.Statements.Count ? unit.Statements[index] : string.Empty)} — {target.Scrub(ex.Message)}";
            }
        }
    }

    // ---- repair, force, baseline -------------------------------------------------------------------

    /// <summary>After a fix: a failed migration that applied nothing becomes pending again; one that applied
    /// some statements resumes at the failed one; changed checksums of applied files are accepted.</summary>
    public Task<RunResult> RepairAsync(RunnerOptions options, DatabaseTarget target, CancellationToken ct) =>
        WithJournalAsync(options, target, ct, async (engine, folder, statuses) =>
        {
            var messages = new List<string>();
            foreach (var s in statuses)
            {
                if (s.Journal is null)
                {
                    continue;
                }

                if (s.Journal.State != JournalState.Applied)
                {
                    if (s.Journal.StatementsDone == 0 || s.File is null)
                    {
                        await engine.DeleteJournalAsync(s.Version, ct).ConfigureAwait(false);
                        messages.Add($"{s.Version} {s.Name}: cleared the failed state; it is pending again");
                    }
                    else
                    {
                        await engine.WriteJournalAsync(s.Journal with { State = JournalState.Running, Checksum = Checksum(s.File.Up), FailedStatementIndex = null, FailedStatement = null, Error = null }, ct).ConfigureAwait(false);
                        messages.Add($"{s.Version} {s.Name}: `stepwise up` will resume at statement {s.Journal.StatementsDone + 1}");
                    }
                }
                else if (s.State == MigrationStatusKind.Missing)
                {
                    await engine.DeleteJournalAsync(s.Version, ct).ConfigureAwait(false);
                    messages.Add($"{s.Version} {s.Name}: its file is gone; forgot its record");
                }
                else if (s.State == MigrationStatusKind.Changed)
                {
                    await engine.WriteJournalAsync(s.Journal with { Checksum = Checksum(s.File!.Up) }, ct).ConfigureAwait(false);
                    messages.Add($"{s.Version} {s.Name}: accepted the changed file's checksum");
                }
            }

            return new RunResult(RunOutcome.Ok, messages.Count == 0 ? ["nothing to repair"] : messages);
        });

    /// <summary>Sets the recorded version: every migration up to V is recorded as applied (without running
    /// it), every later record is removed. Like golang-migrate's force, for after a manual fix.</summary>
    public Task<RunResult> ForceAsync(RunnerOptions options, DatabaseTarget target, string version, CancellationToken ct) =>
        WithJournalAsync(options, target, ct, async (engine, folder, statuses) =>
        {
            var key = VersionKey.Parse(folder.Load.Layout, version);
            if (!folder.Versioned.Any(m => m.OrderKey.CompareTo(key) == 0) && !string.Equals(version, "0", StringComparison.Ordinal))
            {
                return RunResult.Input($"no migration has version {version}");
            }

            var recorded = 0;
            var removed = 0;
            foreach (var m in folder.Versioned)
            {
                var existing = statuses.FirstOrDefault(s => s.Version == m.Version)?.Journal;
                if (m.OrderKey.CompareTo(key) <= 0)
                {
                    if (existing is null || existing.State != JournalState.Applied)
                    {
                        await engine.WriteJournalAsync(new JournalEntry { Version = m.Version, Name = m.Name, Checksum = Checksum(m.Up), State = JournalState.Applied, AppliedAt = DateTimeOffset.UtcNow, AppliedBy = options.AppliedBy + " (force)", StatementsDone = 0 }, ct).ConfigureAwait(false);
                        recorded++;
                    }
                }
                else if (existing is not null)
                {
                    await engine.DeleteJournalAsync(m.Version, ct).ConfigureAwait(false);
                    removed++;
                }
            }

            return new RunResult(RunOutcome.Ok, [$"recorded version {version}: {recorded} migration(s) marked applied, {removed} record(s) removed; no SQL was run"]);
        });

    /// <summary>Records versions as applied without running them: up to V, or what another tool's history
    /// table says it applied (`--from golang-migrate|flyway|prisma|drizzle|dbmate`).</summary>
    public Task<RunResult> BaselineAsync(RunnerOptions options, DatabaseTarget target, string? version, string? fromTool, CancellationToken ct) =>
        WithJournalAsync(options, target, ct, async (engine, folder, statuses) =>
        {
            if (statuses.Any(s => s.Journal is not null))
            {
                return RunResult.Act("the journal already has records; baseline only starts an empty one (use `stepwise force` to move it)");
            }

            List<Migration> toRecord;
            var unmatched = new List<string>();
            var versioned = folder.Versioned.Where(m => m.Kind == MigrationKind.Versioned).ToList(); // never a Flyway B script
            if (fromTool is not null)
            {
                var foreign = await engine.ReadForeignHistoryAsync(fromTool, ct).ConfigureAwait(false);
                if (foreign is null)
                {
                    return RunResult.Input($"no {fromTool} history table found in {target.Redacted}");
                }

                var keys = foreign.Select(v => VersionKey.Parse(folder.Load.Layout, v)).ToHashSet();
                toRecord = versioned.Where(m => keys.Contains(m.OrderKey) || foreign.Contains(m.Version, StringComparer.Ordinal)).ToList();
                unmatched = [.. foreign.Where(v => !toRecord.Any(m => m.OrderKey == VersionKey.Parse(folder.Load.Layout, v) || string.Equals(m.Version, v, StringComparison.Ordinal)))];
                if (fromTool == "drizzle")
                {
                    // drizzle records the journal entry's `when` as created_at, not a version
                    var whens = foreign.Select(v => decimal.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? (long?)decimal.ToInt64(decimal.Truncate(d)) : null).ToHashSet();
                    toRecord = versioned.Where(m => m.JournalWhen is { } when && whens.Contains(when)).ToList();
                    unmatched = [.. foreign.Where(v => !decimal.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) || !toRecord.Any(m => m.JournalWhen == decimal.ToInt64(decimal.Truncate(d))))];
                }

                if (fromTool == "golang-migrate" && foreign.Count == 0)
                {
                    return RunResult.Act("golang-migrate's schema_migrations has no clean version: it is empty, or dirty after a failed migration (fix the schema, then `migrate force V`, or use `stepwise baseline V`)");
                }

                if (fromTool == "golang-migrate" && foreign.Count == 1)
                {
                    // golang-migrate keeps only the current version: everything up to it was applied
                    var current = VersionKey.Parse(folder.Load.Layout, foreign[0]);
                    toRecord = versioned.Where(m => m.OrderKey.CompareTo(current) <= 0).ToList();
                    unmatched = versioned.Any(m => m.OrderKey == current) ? [] : [foreign[0]];
                }
            }
            else
            {
                var key = version is null ? versioned.LastOrDefault()?.OrderKey : VersionKey.Parse(folder.Load.Layout, version);
                toRecord = key is null ? [] : versioned.Where(m => m.OrderKey.CompareTo(key) <= 0).ToList();
            }

            foreach (var m in toRecord)
            {
                await engine.WriteJournalAsync(new JournalEntry { Version = m.Version, Name = m.Name, Checksum = Checksum(m.Up), State = JournalState.Applied, AppliedAt = DateTimeOffset.UtcNow, AppliedBy = options.AppliedBy + " (baseline)" }, ct).ConfigureAwait(false);
            }

            var messages = new List<string> { $"baseline: recorded {toRecord.Count} migration(s) as applied{(fromTool is null ? string.Empty : " from " + fromTool + "'s history")}; no SQL was run" };
            if (unmatched.Count > 0)
            {
                // said, not silently dropped: the schema has changes no file here describes
                messages.Add($"note: {unmatched.Count} version(s) in {fromTool}'s history have no migration file in {options.Directory} and were not recorded: {string.Join(", ", unmatched.Take(10))}{(unmatched.Count > 10 ? ", …" : string.Empty)}");
            }

            return new RunResult(RunOutcome.Ok, messages);
        });

    /// <summary>Loads the folder, connects, takes the migration lock, makes sure the journal exists (unless
    /// <paramref name="ensureJournal"/> is false: a dry run creates nothing) and runs the action with the statuses.</summary>
    private async Task<RunResult> WithJournalAsync(RunnerOptions options, DatabaseTarget target, CancellationToken ct, Func<IMigrationEngine, Folder, List<MigrationStatus>, Task<RunResult>> action, bool ensureJournal = true, IProgress<RunnerEvent>? progress = null)
    {
        var (folder, error) = LoadFolder(options);
        if (folder is null)
        {
            return error!;
        }

        var (engine, connectError) = await ConnectAsync(target, ct, progress).ConfigureAwait(false);
        if (engine is null)
        {
            return connectError!;
        }

        await using (engine.ConfigureAwait(false))
        {
            try
            {
                if (!await engine.TryLockAsync(options.LockWait, ct).ConfigureAwait(false))
                {
                    return RunResult.Act(await LockBusyAsync(engine, target, options, ct).ConfigureAwait(false));
                }

                try
                {
                    if (ensureJournal)
                    {
                        await engine.EnsureJournalAsync(ct).ConfigureAwait(false);
                    }

                    var statuses = Statuses(folder, await engine.ReadJournalAsync(ct).ConfigureAwait(false));
                    return await action(engine, folder, statuses).ConfigureAwait(false);
                }
                finally
                {
                    await engine.UnlockAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (EngineException ex)
            {
                return RunnerChecks.EngineFailure(target, ex);
            }
            catch (CorruptJournalException ex)
            {
                return RunnerChecks.Corrupt(ex);
            }
        }
    }

    /// <summary>A backfill's progress as runner events: the first batch, then at most one line every few seconds
    /// (a batch takes ~100 ms; a line each would flood the log), with rows/s and the ETA from the row estimate.</summary>
    private sealed class BackfillEvents(IProgress<RunnerEvent>? progress, string table, string version) : IProgress<BackfillProgress>
    {
        private static readonly TimeSpan Every = TimeSpan.FromSeconds(3);
        private TimeSpan _last = TimeSpan.MinValue;

        public void Report(BackfillProgress value)
        {
            if (progress is null || (_last != TimeSpan.MinValue && value.Elapsed - _last < Every))
            {
                return;
            }

            _last = value.Elapsed;
            var eta = value.Eta is { } e ? $", ETA {e:hh\\:mm\\:ss}" : string.Empty;
            progress.Report(new RunnerEvent(RunnerEventKind.Statement, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"backfill {table}: {value.RowsDone:N0} rows, {value.RowsPerSecond:N0} rows/s, batch {value.BatchSize:N0}{eta}"), version));
        }
    }
}
