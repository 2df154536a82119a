using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running.Commands;

namespace Stepwise.Migrations.Running;

/// <summary>
/// Applies, rolls back and tracks migrations. Each command opens one <see cref="RunnerSession"/> (connect, lock,
/// journal), plans with the pure <see cref="Planning.Planner"/>, and runs units with an execution strategy. Every
/// method returns a typed <see cref="RunResult"/>; database and input errors never escape as exceptions (only
/// cancellation does).
/// </summary>
/// <param name="engines">Makes the engine for a database URL.</param>
public sealed class MigrationRunner(Func<DatabaseTarget, IEngine> engines)
{
    /// <summary>Every migration and its state; read-only (no lock, nothing created).</summary>
    public Task<RunResult> StatusAsync(RunnerOptions options, DatabaseTarget target, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, null, SessionNeeds.ReadOnly, s => StatusCommand.StatusAsync(s, cancellationToken), cancellationToken);

    /// <summary>Checks files against the journal: changed applied files, missing files, failed migrations.</summary>
    public Task<RunResult> ValidateAsync(RunnerOptions options, DatabaseTarget target, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, null, SessionNeeds.ReadOnly, s => StatusCommand.ValidateAsync(s, cancellationToken), cancellationToken);

    /// <summary>Lints pending migrations, then applies them in order under the migration lock.</summary>
    public Task<RunResult> UpAsync(RunnerOptions options, DatabaseTarget target, IProgress<RunnerEvent>? progress, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, progress, new SessionNeeds(true, !options.DryRun), s => UpCommand.RunAsync(s, cancellationToken), cancellationToken);

    /// <summary>Rolls back the newest <paramref name="count"/> applied migrations, or every one newer than
    /// <see cref="RunnerOptions.TargetVersion"/>.</summary>
    public Task<RunResult> DownAsync(RunnerOptions options, DatabaseTarget target, int count, IProgress<RunnerEvent>? progress, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, progress, new SessionNeeds(true, !options.DryRun), s => DownCommand.RunAsync(s, count, cancellationToken), cancellationToken);

    /// <summary>Runs the contract phase of every expanded migration in order (or of <paramref name="version"/>), after
    /// checking, where the database can tell, that no query used a name only the old release uses within
    /// <paramref name="quietPeriod"/> (<paramref name="force"/>: go on anyway). Resumes an interrupted <c>complete</c>.</summary>
    public Task<RunResult> CompleteAsync(RunnerOptions options, DatabaseTarget target, string? version, TimeSpan quietPeriod, bool force, IProgress<RunnerEvent>? progress, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, progress, SessionNeeds.Write, s => ExpandContract.EcCommands.CompleteAsync(s, version, quietPeriod, force, cancellationToken), cancellationToken);

    /// <summary>Undoes the expand phase of every expanded (or interrupted) expand/contract migration, newest first (or
    /// of <paramref name="version"/>): the schema is as before <c>up</c> and the migration pending again.</summary>
    public Task<RunResult> AbortAsync(RunnerOptions options, DatabaseTarget target, string? version, IProgress<RunnerEvent>? progress, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, progress, SessionNeeds.Write, s => ExpandContract.EcCommands.AbortAsync(s, version, cancellationToken), cancellationToken);

    /// <summary>After a fix: clears failed states (resume or pending again) and accepts changed checksums.</summary>
    public Task<RunResult> RepairAsync(RunnerOptions options, DatabaseTarget target, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, null, SessionNeeds.Write, s => RepairCommand.RunAsync(s, cancellationToken), cancellationToken);

    /// <summary>Sets the recorded version without running SQL.</summary>
    public Task<RunResult> ForceAsync(RunnerOptions options, DatabaseTarget target, string version, CancellationToken cancellationToken) =>
        RunnerSession.RunAsync(engines, options, target, null, SessionNeeds.Write, s => ForceCommand.RunAsync(s, version, cancellationToken), cancellationToken);

    /// <summary>Starts the journal of an existing database without running SQL: up to a version, or from another
    /// tool's history table (<paramref name="fromTool"/>: one of <see cref="ForeignTools.Names"/>).</summary>
    public Task<RunResult> BaselineAsync(RunnerOptions options, DatabaseTarget target, string? version, string? fromTool, CancellationToken cancellationToken)
    {
        var tool = fromTool is null ? null : ForeignTools.Find(fromTool);
        return fromTool is not null && tool is null
            ? Task.FromResult(RunResult.Stopped(new UnknownTool(fromTool)))
            : RunnerSession.RunAsync(engines, options, target, null, SessionNeeds.Write, s => BaselineCommand.RunAsync(s, version, tool, cancellationToken), cancellationToken);
    }
}
