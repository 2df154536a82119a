using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Running;
using Stepwise.MySql;
using Stepwise.PostgreSql;
using Stepwise.Sql;
using Stepwise.Sqlite;

namespace Stepwise;

/// <summary>
/// The runner for application code. At ASP.NET start-up:
/// <code>
/// var result = await StepwiseMigrations.UpAsync(app.Configuration["DATABASE_URL"]!, "migrations");
/// if (result.Failure is { } f)
///     throw new InvalidOperationException($"{f.Version} failed at statement {f.StatementIndex + 1} ({f.SqlState}): {f.Message}");
/// if (result.Outcome != RunOutcome.Ok) throw new InvalidOperationException(string.Join("; ", result.Problems));
/// </code>
/// Every method returns a result (never throws for database or input errors, only for cancellation).
/// </summary>
public static class StepwiseMigrations
{
    /// <summary>The engine for a database URL's dialect.</summary>
    public static IEngine Engine(DatabaseTarget target) => target.Dialect switch
    {
        SqlDialect.PostgreSql => new PostgresEngine(target),
        SqlDialect.MySql => new MySqlEngine(target),
        _ => new SqliteEngine(target),
    };

    /// <summary>The full runner API, with the engine for each URL's dialect.</summary>
    public static MigrationRunner Runner() => new(Engine);

    /// <summary>Lints pending migrations, then applies them (see <see cref="MigrationRunner.UpAsync"/>).</summary>
    public static Task<RunResult> UpAsync(string databaseUrl, string directory, IProgress<RunnerEvent>? progress = null, CancellationToken cancellationToken = default) =>
        WithTarget(databaseUrl, target => Runner().UpAsync(Options(directory, target), target, progress, cancellationToken));

    /// <summary>Lints pending migrations, then applies them, with every runner option (timeouts, target, …).</summary>
    public static Task<RunResult> UpAsync(string databaseUrl, RunnerOptions options, IProgress<RunnerEvent>? progress = null, CancellationToken cancellationToken = default) =>
        WithTarget(databaseUrl, target => Runner().UpAsync(options with { Lint = options.Lint with { Dialect = target.Dialect } }, target, progress, cancellationToken));

    /// <summary>Rolls back the newest <paramref name="count"/> applied migrations with their down scripts.</summary>
    public static Task<RunResult> DownAsync(string databaseUrl, string directory, int count = 1, IProgress<RunnerEvent>? progress = null, CancellationToken cancellationToken = default) =>
        WithTarget(databaseUrl, target => Runner().DownAsync(Options(directory, target), target, count, progress, cancellationToken));

    /// <summary>Every migration and its state; read-only.</summary>
    public static Task<RunResult> StatusAsync(string databaseUrl, string directory, CancellationToken cancellationToken = default) =>
        WithTarget(databaseUrl, target => Runner().StatusAsync(Options(directory, target), target, cancellationToken));

    /// <summary>
    /// Runs a batched, resumable backfill (keyset batches on the primary key, one commit and checkpoint per
    /// batch), e.g. from a background job after a deploy. Cancelling stops after the batch in flight
    /// (outcome Stopped); the same spec (same <see cref="BackfillSpec.Name"/>) resumes it.
    /// <code>
    /// var result = await StepwiseMigrations.BackfillAsync(url, new BackfillSpec("users_display_name", "users", "display_name = username", "display_name IS NULL", BatchTime: BackfillSpec.DefaultBatchTime));
    /// </code>
    /// </summary>
    public static async Task<BackfillResult> BackfillAsync(string databaseUrl, BackfillSpec spec, IProgress<BackfillProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!DatabaseTarget.TryParse(databaseUrl, out var target, out var error))
        {
            return new BackfillResult(BackfillOutcome.InputError, error);
        }

        var engine = Engine(target!);
        await using (engine.ConfigureAwait(false))
        {
            return await BackfillRunner.RunAsync(engine, target!, spec, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts a throwaway server of <paramref name="dialect"/> from the binaries installed on this machine
    /// (PostgreSQL: initdb and pg_ctl; MariaDB/MySQL: mariadbd or mysqld), on 127.0.0.1 and a free port, in a temp
    /// folder; disposing it stops the server and removes the folder. Null when no such binaries are installed (and
    /// for SQLite, which needs no server). Throws <see cref="EngineException"/> with the reason when binaries exist
    /// but the server does not start.
    /// <code>
    /// await using var server = await StepwiseMigrations.StartLocalServerAsync(SqlDialect.PostgreSql, ct);
    /// if (server is not null) { /* server.Server is a superuser login */ }
    /// </code>
    /// </summary>
    public static async Task<ILocalServer?> StartLocalServerAsync(SqlDialect dialect, CancellationToken cancellationToken) => dialect switch
    {
        SqlDialect.PostgreSql => await PostgreSql.LocalServer.PostgresLocalServer.StartAsync(cancellationToken).ConfigureAwait(false),
        SqlDialect.MySql => await MySql.LocalServer.MySqlLocalServer.StartAsync(cancellationToken).ConfigureAwait(false),
        _ => null,
    };

    private static RunnerOptions Options(string directory, DatabaseTarget target) =>
        new() { Directory = directory, Lint = new Analysis.LintOptions { Dialect = target.Dialect } };

    private static Task<RunResult> WithTarget(string databaseUrl, Func<DatabaseTarget, Task<RunResult>> run) =>
        DatabaseTarget.TryParse(databaseUrl, out var target, out var error) ? run(target!) : Task.FromResult(RunResult.Stopped(new InvalidDatabaseUrl(error)));
}
