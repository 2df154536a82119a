using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Running.Execution;

namespace Stepwise.EntityFrameworkCore;

/// <summary>Runs one planned EF migration on the engine's working session (which holds the migration lock):
/// each transaction step with lock_timeout set for the transaction and retried whole on a lock timeout; each
/// transaction-suppressed statement on its own, retried alone (an INVALID index left by an interrupted
/// CONCURRENTLY build of the same name is dropped first, as the runner does).</summary>
internal sealed class EfStepRunner(IEngine engine, MigrateSafelyOptions options)
{
    private readonly RetryPolicy _retry = new(options.MaxRetries, options.RetryBaseDelay, options.RetryMaxDelay);

    private ExecutionLimits Limits(bool weak) =>
        weak ? new ExecutionLimits(options.WeakLockTimeout, TimeSpan.Zero) : new ExecutionLimits(options.LockTimeout, options.StatementTimeout);

    /// <summary>Runs the plan; null when it was applied (with its history row), else the failure.</summary>
    public async Task<EfMigrationFailure?> RunAsync(EfMigrationPlan plan, CancellationToken ct)
    {
        var committed = 0;
        foreach (var step in plan.Steps)
        {
            if (step.Statements.Count == 0)
            {
                continue;
            }

            ct.ThrowIfCancellationRequested();
            var retries = 0;
            void Retrying(int attempt, TimeSpan delay, int? statement)
            {
                retries = attempt;
                options.Progress?.Report(new RunnerEvent(RunnerEventKind.Retrying)
                {
                    Version = plan.Id,
                    Name = plan.Id,
                    StatementIndex = statement,
                    StatementCount = plan.StatementCount,
                    Attempt = attempt,
                    MaxAttempts = _retry.MaxRetries,
                    Delay = delay,
                    LockTimeout = options.LockTimeout,
                });
            }

            try
            {
                if (step.InTransaction)
                {
                    var own = step.Statements.Where(s => s.Index is not null).ToList();
                    var weak = own.Count > 0 && own.All(s => s.WeakLock);
                    var sql = step.Statements.Select(s => s.Sql).ToList();
                    await _retry.RunAsync(
                        () => engine.Executor.ExecuteInTransactionAsync(sql, JournalChange.None, Limits(weak), ct),
                        (attempt, delay, _) => Retrying(attempt, delay, null), // the whole transaction is retried
                        ct).ConfigureAwait(false);
                }
                else
                {
                    var statement = step.Statements[0];
                    await _retry.RunAsync(
                        async () =>
                        {
                            await DropInvalidIndexAsync(statement, ct).ConfigureAwait(false);
                            await engine.Executor.ExecuteAsync(statement.Sql, Limits(statement.WeakLock), ct).ConfigureAwait(false);
                        },
                        (attempt, delay, _) => Retrying(attempt, delay, statement.Index),
                        ct).ConfigureAwait(false);
                }
            }
            catch (EngineException ex)
            {
                var failed = step.InTransaction
                    ? (ex.StatementIndex is { } i && i >= 0 && i < step.Statements.Count ? step.Statements[i] : null)
                    : step.Statements[0];
                if (!step.InTransaction)
                {
                    await DropInvalidIndexAsync(step.Statements[0], ct).ConfigureAwait(false);
                }

                return new EfMigrationFailure(plan.Id, failed?.Index, plan.StatementCount, failed?.Sql, ex.Kind, ex.SqlState, ex.Message, committed, retries);
            }

            committed += step.Statements.Count(s => s.Index is not null);
        }

        return null;
    }

    /// <summary>A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind: drop it so a retry, or the
    /// next start-up, builds it again. Only where the engine has the ability (PostgreSQL).</summary>
    private async Task DropInvalidIndexAsync(EfStatement statement, CancellationToken ct)
    {
        if (statement.ConcurrentIndex is not { } name || engine.Ability<IInvalidIndexCleanup>() is not { } cleanup)
        {
            return;
        }

        try
        {
            foreach (var invalid in await cleanup.FindInvalidIndexesAsync([name], ct).ConfigureAwait(false))
            {
                await cleanup.DropInvalidIndexAsync(invalid, ct).ConfigureAwait(false);
            }
        }
        catch (EngineException)
        {
            // the connection may be gone; the next run drops it before building again
        }
    }
}
