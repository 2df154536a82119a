using Stepwise.Analysis;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Running;

/// <summary>What `up`, `down` and friends do, and how carefully.</summary>
public sealed record RunnerOptions
{
    /// <summary>The migrations folder.</summary>
    public required string Directory { get; init; }

    /// <summary>The folder's layout (null: detected).</summary>
    public LayoutKind? Layout { get; init; }

    /// <summary>How long a statement waits for a table lock before it gives up and is retried (default 500 ms).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>For CONCURRENTLY builds and VALIDATE CONSTRAINT, whose locks don't block the application.</summary>
    public TimeSpan WeakLockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per statement (zero: no limit). CONCURRENTLY builds and VALIDATE are never limited.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Retries after a lock timeout, with exponential backoff and jitter.</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The first retry's pause (doubled for each further retry, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between retries.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for another runner's migration lock.</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Say what would run; change nothing (not even by creating the journal).</summary>
    public bool DryRun { get; init; }

    /// <summary>Apply even when lint finds error-severity problems in pending migrations.</summary>
    public bool AllowUnsafe { get; init; }

    /// <summary>Apply pending migrations older than the newest applied one.</summary>
    public bool AllowOutOfOrder { get; init; }

    /// <summary>Stop after this version (up) / roll back to this version (down).</summary>
    public string? TargetVersion { get; init; }

    /// <summary>How the lint gate lints (dialect and version are taken from the server).</summary>
    public LintOptions Lint { get; init; } = new();

    /// <summary>Who the journal says applied a migration.</summary>
    public string AppliedBy { get; init; } = Environment.UserName;

    /// <summary>The expand phase's backfill pauses this many times each batch's duration after it (see
    /// <see cref="Backfill.BackfillSpec.NiceRatio"/>; 0: back to back).</summary>
    public double BackfillNiceRatio { get; init; }

    /// <summary>The expand phase's backfill aims each batch at this duration (see <see cref="Backfill.BackfillSpec.BatchTime"/>).</summary>
    public TimeSpan BackfillBatchTime { get; init; } = DefaultBackfillBatchTime;

    /// <summary><see cref="BackfillBatchTime"/> when none is given.</summary>
    public static TimeSpan DefaultBackfillBatchTime => Backfill.BackfillSpec.DefaultBatchTime;

    /// <summary>For <c>baseline --from</c>: the other tool's history table when it is not the tool's default name.</summary>
    public string? HistoryTable { get; init; }
}
