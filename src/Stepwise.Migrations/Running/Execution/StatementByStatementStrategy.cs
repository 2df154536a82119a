using Stepwise.Engines;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Execution;

/// <summary>
/// One statement at a time, for what cannot run in a transaction (CONCURRENTLY, MySQL DDL, files that manage
/// their own transactions). Progress is journaled after each statement, so a killed run resumes at the next one;
/// a statement that may run in a transaction commits together with its progress record. An interrupted
/// concurrent index build is cleaned up (its INVALID index dropped) before the build runs again.
/// </summary>
internal sealed class StatementByStatementStrategy : IExecutionStrategy
{
    public async Task<UnitOutcome> UpAsync(UnitRun run, UpStep step, CancellationToken ct)
    {
        var unit = run.Unit;
        var journal = run.Engine.Journal;
        await journal.WriteAsync(run.Entry(JournalState.Running) with { StatementsDone = step.ResumeFrom }, ct).ConfigureAwait(false);

        // the BEGIN of the file's own transaction while one is open: progress records written inside it commit or
        // roll back with it, so the journal never counts a statement its transaction then undid
        int? openedAt = null;
        for (var i = step.ResumeFrom; i < unit.Statements.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            run.Report(run.Event(RunnerEventKind.Statement) with { StatementIndex = i, Statement = unit.Statements[i] });
            var own = OwnAt(unit, i);
            if (own == OwnTransaction.ImplicitCommit)
            {
                openedAt = null; // MySQL commits the open transaction before the DDL runs
            }

            var recorded = false;
            if (own == OwnTransaction.End && openedAt is not null)
            {
                // recorded before its COMMIT, inside the transaction: the two commit together
                await journal.WriteAsync(run.Entry(JournalState.Running) with { StatementsDone = i + 1 }, ct).ConfigureAwait(false);
                recorded = true;
            }

            var index = i;
            var retries = 0;
            try
            {
                async Task RunAsync()
                {
                    try
                    {
                        recorded |= await RunOneAsync(run, index, ct).ConfigureAwait(false);
                    }
                    catch (EngineException ex) when (index == step.ResumeFrom && step.Resuming && ex.Kind is ErrorKind.AlreadyExists or ErrorKind.DoesNotExist)
                    {
                        // the previous run died after this statement committed but before it was journaled
                        // (also the first one: MySQL finishes a DDL statement whose client was killed)
                    }
                }

                if (openedAt is null)
                {
                    await run.Retry.RunAsync(
                        RunAsync,
                        (attempt, delay, _) =>
                        {
                            retries = attempt;
                            run.Retrying(index, attempt, delay, unit.UsesWeakLock[index]);
                        },
                        ct).ConfigureAwait(false);
                }
                else
                {
                    // inside the file's transaction a failed statement has aborted it (PostgreSQL): never retried
                    await RunAsync().ConfigureAwait(false);
                }
            }
            catch (EngineException ex)
            {
                if (openedAt is { } begin)
                {
                    // undo what ran since the BEGIN (the server keeps it open after a failed statement on MySQL and
                    // SQLite, and refuses everything else on PostgreSQL), so the failure record can be written
                    await RollBackAsync(run).ConfigureAwait(false);
                    return new UnitOutcome(await run.FailAsync(ex, index, begin, journal: true, retries, rolledBackFrom: begin).ConfigureAwait(false));
                }

                await DropInvalidIndexAsync(run, index, ct).ConfigureAwait(false);
                return new UnitOutcome(await run.FailAsync(ex, index, index, journal: true, retries).ConfigureAwait(false));
            }

            openedAt = own switch
            {
                OwnTransaction.Begin => i,
                OwnTransaction.End => null,
                _ => openedAt,
            };
            if (!recorded)
            {
                await journal.WriteAsync(run.Entry(JournalState.Running) with { StatementsDone = i + 1 }, ct).ConfigureAwait(false);
            }
        }

        await journal.WriteAsync(run.Entry(JournalState.Applied) with { StatementsDone = unit.Statements.Count, DurationMs = run.Clock.ElapsedMilliseconds }, ct).ConfigureAwait(false);
        run.Finished();
        return UnitOutcome.Done;
    }

    private static OwnTransaction OwnAt(MigrationUnit unit, int i) => i < unit.OwnTransactions.Count ? unit.OwnTransactions[i] : OwnTransaction.None;

    /// <summary>Ends the file's failed transaction; a session that is gone was rolled back by the server.</summary>
    private static async Task RollBackAsync(UnitRun run)
    {
        try
        {
            await run.Engine.Executor.RollBackOpenTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (EngineException)
        {
            // no transaction left (SQLite ends some on error) or no connection: nothing stays open either way
        }
    }

    public async Task<UnitOutcome> DownAsync(UnitRun run, MigrationUnit up, CancellationToken ct)
    {
        var unit = run.Unit;
        for (var i = 0; i < unit.Statements.Count; i++)
        {
            var index = i;
            var retries = 0;
            try
            {
                await run.Retry.RunAsync(
                    () => run.Engine.Executor.ExecuteAsync(unit.Statements[index], run.Limits(unit.UsesWeakLock[index]), ct),
                    (attempt, delay, _) =>
                    {
                        retries = attempt;
                        run.Retrying(index, attempt, delay, unit.UsesWeakLock[index]);
                    },
                    ct).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                return new UnitOutcome(await run.FailAsync(ex, index, index, journal: false, retries).ConfigureAwait(false));
            }
        }

        await run.Engine.Journal.DeleteAsync(run.Version, ct).ConfigureAwait(false);
        run.Finished();
        return UnitOutcome.Done;
    }

    /// <summary>Runs statement <paramref name="i"/>; true when its progress record committed with it.</summary>
    private static async Task<bool> RunOneAsync(UnitRun run, int i, CancellationToken ct)
    {
        var unit = run.Unit;
        if (unit.JoinsTransaction[i])
        {
            // it may run in a transaction: it commits with its progress record, so a run that dies right after it
            // (kill -9, lost connection) never leaves it done but unrecorded
            await run.Engine.Executor.ExecuteInTransactionAsync([unit.Statements[i]], JournalChange.Record(run.Entry(JournalState.Running) with { StatementsDone = i + 1 }), run.Limits(unit.UsesWeakLock[i]), ct).ConfigureAwait(false);
            return true;
        }

        // an interrupted build (kill -9, lost connection) left an INVALID index of this name: drop it, or the
        // build fails with "already exists" (or IF NOT EXISTS keeps the broken one)
        await DropInvalidIndexAsync(run, i, ct).ConfigureAwait(false);
        await run.Engine.Executor.ExecuteAsync(unit.Statements[i], run.Limits(unit.UsesWeakLock[i]), ct).ConfigureAwait(false);
        return false;
    }

    /// <summary>A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind (and IF NOT EXISTS would then
    /// hide it): drop it so a retry, or the next run, builds it again. Only where the engine has the ability.</summary>
    private static async Task DropInvalidIndexAsync(UnitRun run, int index, CancellationToken ct)
    {
        if (run.Unit.ConcurrentIndexNames[index] is not { } name || run.Engine.Ability<IInvalidIndexCleanup>() is not { } cleanup)
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
            // the connection may be gone; the next run finds and drops it before building again
        }
    }
}
