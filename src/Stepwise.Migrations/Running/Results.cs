using Stepwise.Engines;
using Stepwise.Migrations.Backfill;

namespace Stepwise.Migrations.Running;

/// <summary>How a command ended.</summary>
public enum RunOutcome
{
    /// <summary>Everything asked for was done (or there was nothing to do).</summary>
    Ok,

    /// <summary>Something to act on: a failed migration, a changed file, lint refused, lock not obtained.</summary>
    ActionNeeded,

    /// <summary>Bad input or no connection: nothing was changed.</summary>
    InputError,
}

/// <summary>Which way a migration runs.</summary>
public enum MigrationDirection
{
    /// <summary>Its up script.</summary>
    Up,

    /// <summary>Its down script.</summary>
    Down,
}

/// <summary>How a unit runs.</summary>
public enum ExecutionMode
{
    /// <summary>All statements and the journal row in one transaction.</summary>
    Transaction,

    /// <summary>One statement at a time, progress journaled after each, resumable.</summary>
    StatementByStatement,

    /// <summary>A <c>-- stepwise:backfill</c> file: keyset batches with a checkpoint.</summary>
    Backfill,

    /// <summary>A <c>-- stepwise:expand-contract</c> file: the steps of a phase, progress journaled after each.</summary>
    ExpandContract,
}

/// <summary>What the journal holds after a failure.</summary>
public enum FailureRecord
{
    /// <summary>The failure is journaled (state failed, with the statement and the message).</summary>
    Journaled,

    /// <summary>A transaction rolled back on a lock timeout or lost connection: nothing is half-done and the
    /// journal was left as it was, so the next <c>up</c> simply retries.</summary>
    Untouched,

    /// <summary>It could not be journaled: the connection is gone; the journal still shows the migration as
    /// interrupted or pending.</summary>
    NotWritten,
}

/// <summary>A migration that failed in this run, with everything a caller needs to act on it.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Direction">Up or down.</param>
/// <param name="Mode">How it ran.</param>
/// <param name="StatementIndex">0-based index of the failing statement (null: not a statement of the file).</param>
/// <param name="StatementCount">How many statements the script has.</param>
/// <param name="Statement">The failing statement's text.</param>
/// <param name="Kind">How the engine classified the error.</param>
/// <param name="SqlState">SQLSTATE or error number, when known.</param>
/// <param name="Message">The database's message, scrubbed of secrets.</param>
/// <param name="StatementsApplied">Statements of this script that were applied and stay applied.</param>
/// <param name="Retries">Lock-timeout retries made before giving up.</param>
/// <param name="Record">What the journal holds now.</param>
public sealed record MigrationFailure(
    string Version,
    string Name,
    MigrationDirection Direction,
    ExecutionMode Mode,
    int? StatementIndex,
    int StatementCount,
    string? Statement,
    ErrorKind Kind,
    string? SqlState,
    string Message,
    int StatementsApplied,
    int Retries,
    FailureRecord Record)
{
    /// <summary>For a backfill: its result (rows done, batches, why it stopped).</summary>
    public BackfillResult? Backfill { get; init; }

    /// <summary>For an expand/contract migration: the phase that failed (then <see cref="StatementIndex"/> is the
    /// step's index, <see cref="StatementCount"/> the phase's steps and <see cref="StatementsApplied"/> the steps done).</summary>
    public Stepwise.Migrations.ExpandContract.EcPhase? Phase { get; init; }

    /// <summary>For an expand/contract step: what the step does.</summary>
    public string? Step { get; init; }

    /// <summary>For a file that manages its own transactions and failed inside one: the 0-based index of that
    /// transaction's BEGIN. It was rolled back, so its statements up to the failed one are not applied (only the
    /// <see cref="StatementsApplied"/> before it stay); null when no transaction of the file's own was open.</summary>
    public int? RolledBackFrom { get; init; }
}

/// <summary>Something a command did or found that is worth telling, but is not a problem.</summary>
public abstract record RunNote;

/// <summary><c>repair</c>: a failed migration that applied nothing is pending again.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record ClearedFailure(string Version, string Name) : RunNote;

/// <summary><c>repair</c>: a failed migration resumes at a statement on the next <c>up</c>.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
/// <param name="StatementIndex">0-based index it resumes at.</param>
public sealed record WillResume(string Version, string Name, int StatementIndex) : RunNote;

/// <summary><c>repair</c>: the record of a migration whose file is gone was removed.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record ForgotMissing(string Version, string Name) : RunNote;

/// <summary><c>repair</c>: a changed file's checksum was accepted.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
public sealed record AcceptedChecksum(string Version, string Name) : RunNote;

/// <summary><c>force</c>: the recorded version was set.</summary>
/// <param name="Version">The version now recorded.</param>
/// <param name="Recorded">Migrations marked applied.</param>
/// <param name="Removed">Records removed.</param>
public sealed record Forced(string Version, int Recorded, int Removed) : RunNote;

/// <summary><c>baseline</c>: migrations recorded as applied without running them.</summary>
/// <param name="Recorded">How many.</param>
/// <param name="Tool">The tool whose history was read, or null.</param>
/// <param name="Unmatched">Versions in that history with no file here (not recorded).</param>
/// <param name="Directory">The migrations folder.</param>
public sealed record Baselined(int Recorded, string? Tool, IReadOnlyList<string> Unmatched, string Directory) : RunNote;

/// <summary>A migration run in this command stopped at Ctrl-C between backfill batches; the next run resumes.</summary>
/// <param name="Version">Its version.</param>
/// <param name="Name">Its name.</param>
/// <param name="Direction">Up or down.</param>
/// <param name="Backfill">Where it stopped.</param>
public sealed record StoppedBackfill(string Version, string Name, MigrationDirection Direction, BackfillResult Backfill) : RunNote;

/// <summary>One step of a <c>--dry-run</c>.</summary>
/// <param name="Version">The migration's version (as journaled).</param>
/// <param name="Name">Its name.</param>
/// <param name="Direction">Up or down.</param>
/// <param name="Mode">How it would run.</param>
/// <param name="StatementCount">Its statements.</param>
/// <param name="NoTransactionReason">Why it would run statement by statement.</param>
public sealed record PlannedStep(string Version, string Name, MigrationDirection Direction, ExecutionMode Mode, int StatementCount, string? NoTransactionReason)
{
    /// <summary>For a backfill: the spec.</summary>
    public BackfillSpec? Backfill { get; init; }

    /// <summary>For a backfill: how it would walk the table, when the database could tell.</summary>
    public BackfillPlan? BackfillPlan { get; init; }

    /// <summary>For a backfill the database could not plan yet, or a file that cannot run as one: why.</summary>
    public string? BackfillProblem { get; init; }

    /// <summary>The file cannot run as a backfill (then <see cref="BackfillProblem"/> says why).</summary>
    public bool InvalidBackfill { get; init; }

    /// <summary>An expand/contract file that cannot run as one: why (its expand phase is planned only when it runs).</summary>
    public string? ExpandContractProblem { get; init; }
}

/// <summary>The result of a runner command: never an exception for the caller (except cancellation).</summary>
/// <param name="Outcome">How it ended.</param>
public sealed record RunResult(RunOutcome Outcome)
{
    /// <summary>What stopped it or needs acting on.</summary>
    public IReadOnlyList<RunProblem> Problems { get; init; } = [];

    /// <summary>The migration that failed in this run.</summary>
    public MigrationFailure? Failure { get; init; }

    /// <summary>Every migration and its state, where the command looked.</summary>
    public IReadOnlyList<MigrationStatus> Statuses { get; init; } = [];

    /// <summary>Versions applied (up) or rolled back (down) by this run, in order.</summary>
    public IReadOnlyList<string> Done { get; init; } = [];

    /// <summary>It was a <c>--dry-run</c>: nothing was changed, <see cref="Plan"/> says what would run.</summary>
    public bool DryRun { get; init; }

    /// <summary>What a <c>--dry-run</c> would do.</summary>
    public IReadOnlyList<PlannedStep> Plan { get; init; } = [];

    /// <summary>What else the command did or found.</summary>
    public IReadOnlyList<RunNote> Notes { get; init; } = [];

    /// <summary>For <c>status</c>: who holds the migration lock while a migration shows as running.</summary>
    public LockHolder? RunningUnder { get; init; }

    /// <summary>A result that stopped on one problem.</summary>
    public static RunResult Stopped(RunProblem problem) =>
        new(problem.IsInputError ? RunOutcome.InputError : RunOutcome.ActionNeeded) { Problems = [problem] };

    /// <summary>A result that stopped on these problems (at least one).</summary>
    public static RunResult Stopped(IReadOnlyList<RunProblem> problems) =>
        new(problems.Any(p => p.IsInputError) ? RunOutcome.InputError : RunOutcome.ActionNeeded) { Problems = problems };
}

/// <summary>What a progress event reports.</summary>
public enum RunnerEventKind
{
    /// <summary>The working session is open (<see cref="RunnerEvent.Server"/>).</summary>
    Connected,

    /// <summary>Waiting for a lock held by someone else (<see cref="RunnerEvent.Wait"/>).</summary>
    Waiting,

    /// <summary>The migration lock is taken.</summary>
    Locked,

    /// <summary>A migration starts (or resumes at <see cref="RunnerEvent.StatementIndex"/> when <see cref="RunnerEvent.Resuming"/>).</summary>
    Starting,

    /// <summary>A statement starts (statement-by-statement units).</summary>
    Statement,

    /// <summary>A lock timeout; the unit or statement is retried after <see cref="RunnerEvent.Delay"/>.</summary>
    Retrying,

    /// <summary>Backfill progress (<see cref="RunnerEvent.Backfill"/>).</summary>
    BackfillProgress,

    /// <summary>A migration finished (applied, or rolled back for a down).</summary>
    Finished,

    /// <summary>A migration failed (<see cref="RunnerEvent.Failure"/>).</summary>
    Failed,
}

/// <summary>A progress event; the CLI renders them, the library never prints.</summary>
/// <param name="Kind">What happened.</param>
public sealed record RunnerEvent(RunnerEventKind Kind)
{
    /// <summary>The migration's version.</summary>
    public string? Version { get; init; }

    /// <summary>The migration's name.</summary>
    public string? Name { get; init; }

    /// <summary>Up or down.</summary>
    public MigrationDirection Direction { get; init; }

    /// <summary>0-based statement index.</summary>
    public int? StatementIndex { get; init; }

    /// <summary>The unit's statement count.</summary>
    public int? StatementCount { get; init; }

    /// <summary>The statement's text.</summary>
    public string? Statement { get; init; }

    /// <summary>A started migration resumes an interrupted one.</summary>
    public bool Resuming { get; init; }

    /// <summary>How long the migration took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>For <see cref="RunnerEventKind.Retrying"/>: the retry's number (1-based) and the maximum.</summary>
    public int Attempt { get; init; }

    /// <summary>The maximum number of retries.</summary>
    public int MaxAttempts { get; init; }

    /// <summary>The pause before the retry.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The lock timeout that expired.</summary>
    public TimeSpan LockTimeout { get; init; }

    /// <summary>For <see cref="RunnerEventKind.Connected"/>: the target (password redacted) and the server's version.</summary>
    public string? Target { get; init; }

    /// <summary>The server's version.</summary>
    public string? Server { get; init; }

    /// <summary>For <see cref="RunnerEventKind.Waiting"/>.</summary>
    public LockWait? Wait { get; init; }

    /// <summary>For backfill units: the table.</summary>
    public string? Table { get; init; }

    /// <summary>For <see cref="RunnerEventKind.BackfillProgress"/>.</summary>
    public BackfillProgress? Backfill { get; init; }

    /// <summary>For a finished backfill unit: its result.</summary>
    public BackfillResult? BackfillResult { get; init; }

    /// <summary>For <see cref="RunnerEventKind.Failed"/>.</summary>
    public MigrationFailure? Failure { get; init; }

    /// <summary>For an expand/contract migration: the phase (then <see cref="RunnerEventKind.Statement"/> events are
    /// its steps: <see cref="Statement"/> says what the step does, <see cref="StatementCount"/> counts the phase's steps).</summary>
    public Stepwise.Migrations.ExpandContract.EcPhase? Phase { get; init; }
}
