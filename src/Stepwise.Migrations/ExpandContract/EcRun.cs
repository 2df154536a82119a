using System.Diagnostics;
using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Running.Execution;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Migrations.ExpandContract;

/// <summary>
/// One phase of one expand/contract migration being run: its journal row (which always carries the stored plan),
/// its steps run in order from the first one not recorded done, progress journaled after each step (a
/// <see cref="EcStepKind.Transaction"/> step commits together with its progress record), each under the runner's
/// lock timeout and retried on a lock timeout. A failure leaves the row in its phase's state with the failing step
/// recorded, so running the same command again resumes at that step (every step is idempotent).
/// </summary>
internal sealed class EcRun
{
    private readonly JournalEntry _row;

    public EcRun(RunnerSession session, JournalEntry row, EcPlan plan, EcPhase phase)
    {
        Session = session;
        _row = row with { Plan = row.Plan ?? EcPlanJson.Write(plan), FailedStatement = null, FailedStatementIndex = null, Error = null };
        Plan = plan;
        Phase = phase;
        Retry = new RetryPolicy(session.Options);
    }

    public RunnerSession Session { get; }

    public EcPlan Plan { get; }

    public EcPhase Phase { get; }

    public RetryPolicy Retry { get; }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public string Version => _row.Version;

    public string Name => _row.Name;

    public IEngine Engine => Session.Engine;

    public MigrationDirection Direction => Phase == EcPhase.Abort ? MigrationDirection.Down : MigrationDirection.Up;

    public IReadOnlyList<EcStep> Steps => Phase switch
    {
        EcPhase.Expand => Plan.Expand,
        EcPhase.Contract => Plan.Contract,
        _ => Plan.Abort,
    };

    public JournalState State => Phase switch
    {
        EcPhase.Expand => JournalState.Running,
        EcPhase.Contract => JournalState.Completing,
        _ => JournalState.Aborting,
    };

    /// <summary>The journal row in a state with its progress (the plan always kept).</summary>
    public JournalEntry Row(JournalState state, int done) => _row with
    {
        State = state,
        StatementsDone = done,
        AppliedAt = DateTimeOffset.UtcNow,
        AppliedBy = Session.Options.AppliedBy,
        DurationMs = Clock.ElapsedMilliseconds,
    };

    public RunnerEvent Event(RunnerEventKind kind) => new(kind) { Version = Version, Name = Name, Direction = Direction, StatementCount = Steps.Count, Phase = Phase };

    public void Report(RunnerEvent e) => Session.Progress?.Report(e);

    /// <summary>Runs the phase's steps from <paramref name="from"/>; null when all are done, else the failure (journaled).</summary>
    public async Task<MigrationFailure?> RunStepsAsync(int from, CancellationToken ct)
    {
        await Engine.Journal.WriteAsync(Row(State, from), ct).ConfigureAwait(false);
        for (var i = from; i < Steps.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var step = Steps[i];
            Report(Event(RunnerEventKind.Statement) with { StatementIndex = i, Statement = step.What });
            var failing = 0;
            var retries = 0;
            try
            {
                var committedWithProgress = false;
                if (step.Kind == EcStepKind.Statements)
                {
                    for (var k = 0; k < step.Statements.Count; k++)
                    {
                        failing = k;
                        var sql = step.Statements[k];
                        retries += await Retry.RunAsync(() => ExecuteOneAsync(sql, ct), (attempt, delay, _) => Retrying(i, attempt, delay, IsWeak(sql)), ct).ConfigureAwait(false);
                    }
                }
                else if (step.Kind == EcStepKind.Transaction)
                {
                    // the step's statements commit together with its progress record
                    var done = Row(State, i + 1);
                    retries = await Retry.RunAsync(() => Engine.Executor.ExecuteInTransactionAsync(step.Statements, JournalChange.Record(done), Limits(false), ct), (attempt, delay, _) => Retrying(i, attempt, delay, false), ct).ConfigureAwait(false);
                    committedWithProgress = true;
                }
                else
                {
                    // one connection (the working session) holding the table lock; retried as a whole
                    retries = await Retry.RunAsync(
                        async () =>
                        {
                            for (var k = 0; k < step.Statements.Count; k++)
                            {
                                failing = k;
                                await Engine.Executor.ExecuteAsync(step.Statements[k], Limits(false), ct).ConfigureAwait(false);
                            }
                        },
                        (attempt, delay, _) => Retrying(i, attempt, delay, false),
                        ct).ConfigureAwait(false);
                }

                if (!committedWithProgress)
                {
                    await Engine.Journal.WriteAsync(Row(State, i + 1), ct).ConfigureAwait(false);
                }
            }
            catch (EngineException ex)
            {
                var statement = ex.StatementIndex is { } si && si < step.Statements.Count ? step.Statements[si] : failing < step.Statements.Count ? step.Statements[failing] : null;
                return await FailAsync(ex.Kind, ex.SqlState, Session.Target.Scrub(ex.Message), i, statement, step.What, retries).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>Records a failure on the row (state unchanged: the same command resumes at the step) and reports it.</summary>
    public async Task<MigrationFailure> FailAsync(ErrorKind kind, string? sqlState, string message, int stepIndex, string? statement, string? what, int retries, Stepwise.Migrations.Backfill.BackfillResult? backfill = null)
    {
        var record = FailureRecord.Journaled;
        var reason = kind switch
        {
            ErrorKind.LockTimeout => $"lock not granted after {retries} retries: {message}",
            ErrorKind.ConnectionLost => $"connection lost: {message}",
            _ => message,
        };
        try
        {
            await Engine.Journal.WriteAsync(Row(State, Math.Min(stepIndex, Steps.Count)) with { FailedStatementIndex = stepIndex, FailedStatement = statement, Error = reason }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            record = FailureRecord.NotWritten; // the session is gone: the row still records the steps done
        }

        var failure = new MigrationFailure(Version, Name, Direction, ExecutionMode.ExpandContract, stepIndex, Steps.Count, statement, kind, sqlState, message, Math.Min(stepIndex, Steps.Count), retries, record)
        {
            Phase = Phase,
            Step = what,
            Backfill = backfill,
        };
        Report(Event(RunnerEventKind.Failed) with { StatementIndex = stepIndex, Failure = failure });
        return failure;
    }

    private async Task ExecuteOneAsync(string sql, CancellationToken ct)
    {
        // an interrupted CREATE INDEX CONCURRENTLY left an INVALID index: drop it, or IF NOT EXISTS keeps the broken one
        if (ConcurrentIndexName(sql) is { } name && Engine.Ability<IInvalidIndexCleanup>() is { } cleanup)
        {
            foreach (var invalid in await cleanup.FindInvalidIndexesAsync([name], ct).ConfigureAwait(false))
            {
                await cleanup.DropInvalidIndexAsync(invalid, ct).ConfigureAwait(false);
            }
        }

        await Engine.Executor.ExecuteAsync(sql, Limits(IsWeak(sql)), ct).ConfigureAwait(false);
    }

    private ExecutionLimits Limits(bool weak) =>
        weak ? new ExecutionLimits(Session.Options.WeakLockTimeout, TimeSpan.Zero) : new ExecutionLimits(Session.Options.LockTimeout, Session.Options.StatementTimeout);

    private void Retrying(int step, int attempt, TimeSpan delay, bool weak) => Report(Event(RunnerEventKind.Retrying) with
    {
        StatementIndex = step,
        Attempt = attempt,
        MaxAttempts = Retry.MaxRetries,
        Delay = delay,
        LockTimeout = Limits(weak).LockTimeout,
    });

    private Statement? Parse(string sql)
    {
        var parsed = ParsedScript.Parse(new SourceText(sql), Engine.Dialect);
        return parsed.Statements.Count == 1 ? parsed.Statements[0] : null;
    }

    /// <summary>CONCURRENTLY builds and VALIDATE CONSTRAINT take weak locks: the longer timeout, no statement limit.</summary>
    private bool IsWeak(string sql) => Parse(sql) switch
    {
        CreateIndexStatement { Concurrently: true } or DropIndexStatement { Concurrently: true } or ReindexStatement { Concurrently: true } => true,
        AlterTableStatement alter => alter.Actions.Count > 0 && alter.Actions.All(a => a is ValidateConstraintAction),
        _ => false,
    };

    private string? ConcurrentIndexName(string sql) => Parse(sql) is CreateIndexStatement { Concurrently: true, Name: { } n } ? n.Key : null;
}
