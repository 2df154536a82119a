using System.Diagnostics;
using Stepwise.Engines;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>One unit being run: the session, the unit, its direction, and the helpers every strategy shares
/// (journal rows, limits, events, the failure record).</summary>
internal sealed class UnitRun(RunnerSession session, MigrationUnit unit, MigrationDirection direction)
{
    public RunnerSession Session { get; } = session;

    public MigrationUnit Unit { get; } = unit;

    public MigrationDirection Direction { get; } = direction;

    public IEngine Engine => Session.Engine;

    public RunnerOptions Options => Session.Options;

    public RetryPolicy Retry { get; } = new(session.Options);

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public string Version { get; } = MigrationSet.JournalVersion(unit.Migration);

    public string Name => Unit.Migration.Name;

    public ExecutionMode Mode => Unit.IsExpandContract ? ExecutionMode.ExpandContract
        : Unit.Backfill is not null || Unit.BackfillError is not null ? ExecutionMode.Backfill
        : Unit.InTransaction ? ExecutionMode.Transaction : ExecutionMode.StatementByStatement;

    public JournalEntry Entry(JournalState state) => new()
    {
        Version = Version,
        Name = Name,
        Checksum = MigrationSet.Checksum(Unit.Script),
        State = state,
        AppliedAt = DateTimeOffset.UtcNow,
        AppliedBy = Options.AppliedBy,
    };

    public ExecutionLimits Limits(bool weak) =>
        weak ? new ExecutionLimits(Options.WeakLockTimeout, TimeSpan.Zero) : new ExecutionLimits(Options.LockTimeout, Options.StatementTimeout);

    public RunnerEvent Event(RunnerEventKind kind) => Unit.IsExpandContract && Direction == MigrationDirection.Up
        ? new(kind) { Version = Version, Name = Name, Direction = Direction, Phase = Stepwise.Migrations.ExpandContract.EcPhase.Expand } // its steps are known once planned
        : new(kind) { Version = Version, Name = Name, Direction = Direction, StatementCount = Unit.Statements.Count };

    public void Report(RunnerEvent e) => Session.Progress?.Report(e);

    /// <summary>Reports a retry; <paramref name="weak"/> says the attempt ran with the weak-lock limits, whose lock
    /// timeout is the one that expired.</summary>
    public void Retrying(int? statement, int attempt, TimeSpan delay, bool weak) => Report(Event(RunnerEventKind.Retrying) with
    {
        StatementIndex = statement,
        Attempt = attempt,
        MaxAttempts = Retry.MaxRetries,
        Delay = delay,
        LockTimeout = Limits(weak).LockTimeout,
    });

    public void Finished() => Report(Event(RunnerEventKind.Finished) with { Elapsed = Clock.Elapsed });

    /// <summary>The failure as a typed record; with <paramref name="journal"/> also written to the journal (best
    /// effort: a lost connection cannot be written, and says so). <paramref name="statementIndex"/> is null when
    /// no statement of the file failed (BEGIN, the timeouts, the journal row, or COMMIT: a deferred constraint).
    /// <paramref name="rolledBackFrom"/> is the BEGIN of the file's own transaction that the failure rolled back.</summary>
    public async Task<MigrationFailure> FailAsync(EngineException ex, int? statementIndex, int applied, bool journal, int retries, int? rolledBackFrom = null)
    {
        var message = Session.Target.Scrub(ex.Message);
        var statement = statementIndex is { } i && i < Unit.Statements.Count ? Unit.Statements[i] : null;
        var record = FailureRecord.Untouched;
        if (journal)
        {
            var reason = ex.Kind switch
            {
                ErrorKind.LockTimeout => $"lock not granted after {retries} retries: {message}",
                ErrorKind.ConnectionLost => $"connection lost: {message}",
                _ => message,
            };
            try
            {
                await Engine.Journal.WriteAsync(Entry(JournalState.Failed) with { StatementsDone = applied, FailedStatementIndex = statementIndex, FailedStatement = statement, Error = reason }, CancellationToken.None).ConfigureAwait(false);
                record = FailureRecord.Journaled;
            }
            catch (EngineException)
            {
                record = FailureRecord.NotWritten;
            }
        }

        var failure = new MigrationFailure(Version, Name, Direction, Mode, statementIndex, Unit.Statements.Count, statement, ex.Kind, ex.SqlState, message, applied, retries, record) { RolledBackFrom = rolledBackFrom };
        Report(Event(RunnerEventKind.Failed) with { StatementIndex = statementIndex, Failure = failure });
        return failure;
    }
}
