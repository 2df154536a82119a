using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>Runs migration statements on the working connection; the lock timeout is SQLite's busy timeout.</summary>
internal sealed class SqliteExecutor(SqliteSession session, SqliteJournal journalStore) : IStatementExecutor
{
    private static int BusySeconds(ExecutionLimits limits) => Math.Max(1, (int)Math.Ceiling(limits.LockTimeout.TotalSeconds));

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var index = -1;
        SqliteTransaction? tx = null;
        try
        {
            tx = await session.WhileBusyAsync(async () => (SqliteTransaction)await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            for (index = 0; index < statements.Count; index++)
            {
                await SqliteExpandContractText.RunGuardedAsync(session.Connection, tx, statements[index], BusySeconds(limits), cancellationToken).ConfigureAwait(false);
            }

            index = -1;
            if (!journal.IsNone)
            {
                await using (var record = journalStore.Command(session.Connection, journal, tx))
                {
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            var committing = tx;
            await session.WhileBusyAsync(
                async () =>
                {
                    await committing.CommitAsync(cancellationToken).ConfigureAwait(false); // a COMMIT answered SQLITE_BUSY leaves the transaction open
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            if (tx is not null)
            {
                try
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (SqliteException)
                {
                    // a failed COMMIT may already have ended the transaction
                }
            }

            throw SqliteSession.Translate(ex, index >= 0 ? index : null);
        }
        finally
        {
            if (tx is not null)
            {
                await tx.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task ExecuteAsync(string statement, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            await SqliteExpandContractText.RunGuardedAsync(session.Connection, null, statement, BusySeconds(limits), cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw SqliteSession.Translate(ex, 0);
        }
    }

    public async Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken) =>
        await session.OpenDataAsync(cancellationToken).ConfigureAwait(false);
}
