using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Stepwise.Analysis.Reporting;
using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.EntityFrameworkCore;

/// <summary>
/// Applies a context's pending EF Core migrations with Stepwise's guarantees; EF's <c>__EFMigrationsHistory</c>
/// stays EF's own (the same rows, written as EF writes them). Steps:
/// <list type="number">
/// <item>EF reads its history (on the context's own pooled connection); nothing pending: done, no lock taken.</item>
/// <item>The lint gate: the pending migrations' SQL, linted with every earlier migration replayed, must have no
/// error finding (unless <see cref="MigrateSafelyOptions.AllowUnsafe"/>); else nothing is applied.</item>
/// <item>A Stepwise engine opens its working session from the context's connection string and takes the
/// migration lock on it (PostgreSQL: session-level advisory lock; SQLite: a lock file), creates the history
/// table if missing and reads the history again (another instance may have applied some meanwhile).</item>
/// <item>Each pending migration runs as EF would run it (<see cref="EfMigrationPlan"/>), with lock_timeout and
/// retries (<see cref="EfStepRunner"/>); it stops at the first failure.</item>
/// </list>
/// </summary>
internal static class SafeMigrator
{
    public static async Task<MigrateSafelyResult> MigrateAsync(DbContext context, MigrateSafelyOptions? options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        options ??= new MigrateSafelyOptions();
        SqlDialect dialect;
        try
        {
            dialect = StepwiseEf.DialectOf(context.Database.ProviderName);
        }
        catch (NotSupportedException ex)
        {
            return MigrateSafelyResult.Stopped(new EfNotSupported(ex.Message));
        }

        if (!EfConnectionTarget.TryCreate(dialect, options.ConnectionString ?? context.Database.GetConnectionString(), out var target, out var error))
        {
            return MigrateSafelyResult.Stopped(new EfNotSupported(error));
        }

        var assembly = context.GetService<IMigrationsAssembly>();
        var history = context.GetService<IHistoryRepository>();
        IReadOnlyList<string> pending;
        try
        {
            // EF answers "none" when the database or the history table does not exist
            pending = Pending(assembly, await history.GetAppliedMigrationsAsync(ct).ConfigureAwait(false));
        }
        catch (DbException ex)
        {
            return MigrateSafelyResult.Stopped(new ConnectionFailed(target!.Redacted, target.Scrub(ex.Message)));
        }

        if (pending.Count == 0)
        {
            return new MigrateSafelyResult(RunOutcome.Ok);
        }

        if (!options.AllowUnsafe && LintGate(context, options, pending) is { } refused)
        {
            return MigrateSafelyResult.Stopped(refused);
        }

        try
        {
            // as EF's Migrate does: an absent database is created (PostgreSQL: CREATE DATABASE; SQLite: the file)
            var creator = context.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync(ct).ConfigureAwait(false))
            {
                await creator.CreateAsync(ct).ConfigureAwait(false);
            }
        }
        catch (DbException ex)
        {
            return MigrateSafelyResult.Stopped(new DatabaseError(target!.Redacted, ErrorKind.Statement, ex.SqlState, target.Scrub(ex.Message)));
        }

        var engine = Stepwise.StepwiseMigrations.Engine(target!);
        await using (engine.ConfigureAwait(false))
        {
            return await UnderLockAsync(context, engine, target!, dialect, options, ct).ConfigureAwait(false);
        }
    }

    private static async Task<MigrateSafelyResult> UnderLockAsync(DbContext context, IEngine engine, DatabaseTarget target, SqlDialect dialect, MigrateSafelyOptions options, CancellationToken ct)
    {
        var progress = options.Progress;
        var waiting = progress is null ? null : new Progress(progress);
        if (waiting is not null && engine.Ability<IDatabaseLockWaits>() is { } waits)
        {
            waits.Waiting = waiting;
        }

        try
        {
            await engine.ConnectAsync(ct).ConfigureAwait(false);
        }
        catch (EngineException ex)
        {
            return MigrateSafelyResult.Stopped(new ConnectionFailed(target.Redacted, target.Scrub(ex.Message)));
        }

        progress?.Report(new RunnerEvent(RunnerEventKind.Connected) { Target = target.Redacted, Server = engine.Server.Version });
        var clock = Stopwatch.StartNew();
        var locked = false;
        try
        {
            if (!await engine.Lock.TryAcquireAsync(options.LockWait, waiting, ct).ConfigureAwait(false))
            {
                var holder = await engine.Lock.HolderAsync(ct).ConfigureAwait(false);
                return MigrateSafelyResult.Stopped(new LockBusy(target.Redacted, clock.Elapsed, holder, dialect));
            }

            locked = true;
            progress?.Report(new RunnerEvent(RunnerEventKind.Locked));
            var runner = new EfStepRunner(engine, options);
            var history = context.GetService<IHistoryRepository>();
            foreach (var statement in Split(history.GetCreateIfNotExistsScript(), dialect))
            {
                await engine.Executor.ExecuteAsync(statement, new ExecutionLimits(options.LockTimeout, options.StatementTimeout), ct).ConfigureAwait(false);
            }

            var pending = Pending(context.GetService<IMigrationsAssembly>(), await history.GetAppliedMigrationsAsync(ct).ConfigureAwait(false));
            var applied = new List<string>(pending.Count);
            foreach (var id in pending)
            {
                var plan = EfMigrationPlan.Build(context, id, dialect, engine.Server.PostgresMajor);
                progress?.Report(new RunnerEvent(RunnerEventKind.Starting) { Version = id, Name = id, StatementCount = plan.StatementCount });
                var started = clock.Elapsed;
                if (await runner.RunAsync(plan, ct).ConfigureAwait(false) is { } failure)
                {
                    return new MigrateSafelyResult(RunOutcome.ActionNeeded) { Applied = applied, Failure = failure with { Message = target.Scrub(failure.Message) } };
                }

                applied.Add(id);
                progress?.Report(new RunnerEvent(RunnerEventKind.Finished) { Version = id, Name = id, StatementCount = plan.StatementCount, Elapsed = clock.Elapsed - started });
            }

            return new MigrateSafelyResult(RunOutcome.Ok) { Applied = applied };
        }
        catch (EngineException ex)
        {
            return MigrateSafelyResult.Stopped(new DatabaseError(target.Redacted, ex.Kind, ex.SqlState, target.Scrub(ex.Message)));
        }
        catch (DbException ex)
        {
            return MigrateSafelyResult.Stopped(new DatabaseError(target.Redacted, ErrorKind.Statement, ex.SqlState, target.Scrub(ex.Message)));
        }
        finally
        {
            if (locked)
            {
                await engine.Lock.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The context's migrations EF's history does not list, in id order (EF compares ids ignoring case).</summary>
    private static List<string> Pending(IMigrationsAssembly assembly, IEnumerable<HistoryRow> applied)
    {
        var done = applied.Select(r => r.MigrationId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. assembly.Migrations.Keys.Where(id => !done.Contains(id)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The error findings of the pending migrations, linted with the whole history replayed.</summary>
    private static EfLintRefused? LintGate(DbContext context, MigrateSafelyOptions options, IReadOnlyList<string> pending)
    {
        var report = StepwiseEf.LintMigrations(context, options.Lint with { Baseline = null });
        var ids = pending.ToHashSet(StringComparer.Ordinal);
        var errors = report.Findings.Where(f => f.Severity == Severity.Error && ids.Contains(f.MigrationId)).ToList();
        return errors.Count == 0 ? null : new EfLintRefused(report with { Findings = errors });
    }

    private static IEnumerable<string> Split(string script, SqlDialect dialect)
    {
        var parsed = ParsedScript.Parse(new SourceText(script, "__EFMigrationsHistory"), dialect);
        return parsed.Statements.Select(s => parsed.Source.ToString(s.Span)).Where(s => s.Length > 0);
    }

    /// <summary>Lock waits as progress events.</summary>
    private sealed class Progress(IProgress<RunnerEvent> events) : IProgress<LockWait>
    {
        public void Report(LockWait value) => events.Report(new RunnerEvent(RunnerEventKind.Waiting) { Wait = value });
    }
}
