using Stepwise.Analysis;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Running;

/// <summary>What `up`, `down` and friends do, and how carefully.</summary>
public sealed record RunnerOptions
{
    public required string Directory { get; init; }

    public LayoutKind? Layout { get; init; }

    /// <summary>How long a statement waits for a table lock before it gives up and is retried (default 500 ms).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>For CONCURRENTLY builds and VALIDATE CONSTRAINT, whose locks don't block the application.</summary>
    public TimeSpan WeakLockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per statement (zero: no limit). CONCURRENTLY builds and VALIDATE are never limited.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Retries after a lock timeout, with exponential backoff and jitter.</summary>
    public int MaxRetries { get; init; } = 8;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for another runner's migration lock.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromMinutes(2);

    public bool DryRun { get; init; }

    /// <summary>Apply even when lint finds error-severity problems in pending migrations.</summary>
    public bool AllowUnsafe { get; init; }

    public bool AllowOutOfOrder { get; init; }

    /// <summary>Stop after this version (up) / roll back to this version (down).</summary>
    public string? TargetVersion { get; init; }

    public LintOptions Lint { get; init; } = new();

    public string AppliedBy { get; init; } = Environment.UserName;
}

public enum MigrationStatusKind
{
    Applied,
    Pending,
    Changed,
    Missing,
    Failed,

    /// <summary>Flyway baseline migrations: a <c>B</c> script not used (the database already had history, or a
    /// newer one was chosen), or a <c>V</c> script at or below the baseline that was applied instead.</summary>
    Skipped,

    /// <summary>Being applied right now: journaled as running while another session holds the migration lock
    /// (`status` only; a running row with the lock free was interrupted, and shows as failed).</summary>
    Running,
}

public sealed record MigrationStatus(string Version, string Name, MigrationStatusKind State, JournalEntry? Journal, Migration? File)
{
    public static string StateName(MigrationStatusKind state) => state switch
    {
        MigrationStatusKind.Applied => "applied",
        MigrationStatusKind.Pending => "pending",
        MigrationStatusKind.Changed => "changed",
        MigrationStatusKind.Missing => "missing",
        MigrationStatusKind.Skipped => "skipped",
        MigrationStatusKind.Running => "running",
        _ => "failed",
    };
}

public enum RunOutcome
{
    /// <summary>Everything asked for was done (or there was nothing to do).</summary>
    Ok,

    /// <summary>Something to act on: a failed migration, a changed file, lint refused, lock not obtained.</summary>
    ActionNeeded,

    /// <summary>Bad input or no connection: nothing was changed.</summary>
    InputError,
}

/// <summary>What kind of problem ended a command, when it is one a caller may want to tell apart.</summary>
public enum RunProblem
{
    /// <summary>The journal has a row the runner cannot read (<see cref="CorruptJournalException"/>); nothing ran.</summary>
    CorruptJournal,

    /// <summary>The connection broke after it was made; the journal records what committed, and running the
    /// same command again continues (outcome ActionNeeded; a connection never made is InputError).</summary>
    ConnectionLost,
}

/// <summary>The result of a runner command: never an exception for the caller.</summary>
public sealed record RunResult(RunOutcome Outcome, IReadOnlyList<string> Messages)
{
    public IReadOnlyList<MigrationStatus> Statuses { get; init; } = [];

    public IReadOnlyList<string> Applied { get; init; } = [];

    public RunProblem? Problem { get; init; }

    /// <summary>Lint findings that refused the run (for printing as `lint` does).</summary>
    public Analysis.Reporting.LintReport? LintRefusal { get; init; }

    public static RunResult Input(string message) => new(RunOutcome.InputError, [message]);

    public static RunResult Act(string message) => new(RunOutcome.ActionNeeded, [message]);
}

public enum RunnerEventKind
{
    Connected,
    Locked,
    Applying,
    Statement,
    Retrying,
    Applied,
    Failed,
    RolledBack,
    Planned,

    /// <summary>Waiting for the database's own lock (SQLite: another connection is writing), said after a second.</summary>
    Waiting,
}

/// <summary>A progress event; the CLI renders them, the library never prints.</summary>
public sealed record RunnerEvent(RunnerEventKind Kind, string Message, string? Version = null, int? StatementIndex = null, int? StatementCount = null);
