using Stepwise.Migrations.Running;

namespace Stepwise.EntityFrameworkCore;

/// <summary>How <see cref="DatabaseFacadeExtensions.MigrateSafelyAsync"/> applies EF Core migrations. The
/// defaults are the <c>stepwise up</c> runner's (<see cref="RunnerOptions"/>).</summary>
public sealed record MigrateSafelyOptions
{
    /// <summary>How long a DDL statement waits for a table lock before it gives up and is retried (default 500 ms):
    /// the longest the application's queries queue behind it.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>For CONCURRENTLY builds and VALIDATE CONSTRAINT, whose locks don't block the application (default 30 s).</summary>
    public TimeSpan WeakLockTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per statement (zero: no limit; default 15 min). CONCURRENTLY builds and VALIDATE are never limited.</summary>
    public TimeSpan StatementTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Retries after a lock timeout, with exponential backoff and jitter (default 8).</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The first pause before a retry (doubled each time, with jitter; default 250 ms).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause before a retry (default 10 s).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for another instance's migration lock (default 2 min).</summary>
    public TimeSpan LockWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Apply even when the lint finds error-severity problems in pending migrations (default: refuse,
    /// and apply nothing).</summary>
    public bool AllowUnsafe { get; init; }

    /// <summary>The lint gate's options (rule severities, PostgreSQL version …). Its <c>Baseline</c> is ignored:
    /// the gate looks at the pending migrations only.</summary>
    public EfLintOptions Lint { get; init; } = new();

    /// <summary>The connection string Stepwise opens its own session with, when the context's connection string
    /// lacks something (e.g. the password, when the context was configured with a data source). Default: the
    /// context's.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Progress (connected, waiting for the lock, each migration, retries): the library never prints.</summary>
    public IProgress<RunnerEvent>? Progress { get; init; }
}
