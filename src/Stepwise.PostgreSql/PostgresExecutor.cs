using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>Runs migration statements on the working session.</summary>
internal sealed class PostgresExecutor(PostgresSession session, PostgresJournal journalStore) : IStatementExecutor
{
    /// <summary>The commands in a migration's batch before its first statement: BEGIN and the two SET LOCALs.</summary>
    private const int BatchPrologue = 3;

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        // One round trip per migration: BEGIN, the timeouts, every statement, the journal row and COMMIT are
        // pipelined behind one Sync. After an error the server skips the rest, COMMIT included, and the error
        // names its batch command. SET LOCAL: the timeouts end with the transaction; statement_timeout
        // restarts at each statement.
        await using var batch = new NpgsqlBatch(session.Connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL lock_timeout = '{PostgresSession.Millis(limits.LockTimeout)}'"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL statement_timeout = '{PostgresSession.Millis(limits.StatementTimeout)}'"));
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        if (!journal.IsNone)
        {
            batch.BatchCommands.Add(journalStore.BatchCommand(journal));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        var committed = false;
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            committed = true;
        }
        catch (Exception ex) when (session.IsDatabaseFailure(ex))
        {
            throw session.Translate(ex, FailedStatement(batch, ex, statements.Count));
        }
        finally
        {
            if (!committed)
            {
                await RollBackAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the failed transaction so the connection can be used again (a warning, not an error, when
    /// none is open: it failed at COMMIT, or never began).</summary>
    private async Task RollBackAsync()
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", session.Connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
        {
            // the connection is gone; the server rolls back
        }
    }

    /// <summary>The index of the migration statement a batch failed at: the command the server's error names,
    /// else (the connection broke) the first statement that had not completed; null for BEGIN, SET, journal or COMMIT.</summary>
    private static int? FailedStatement(NpgsqlBatch batch, Exception ex, int statementCount)
    {
        var command = ex is PostgresException { BatchCommand: { } named } ? batch.BatchCommands.IndexOf(named) : -1;
        for (var i = 0; command < 0 && i < batch.BatchCommands.Count; i++)
        {
            // a command's type is known once the server has reported it complete
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                command = i;
            }
        }

        var index = command - BatchPrologue;
        return index >= 0 && index < statementCount ? index : null;
    }

    public async Task ExecuteAsync(string statement, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            // sent separately: a multi-statement query is an implicit transaction, which CONCURRENTLY refuses
            await using (var set = new NpgsqlCommand($"SET lock_timeout = '{PostgresSession.Millis(limits.LockTimeout)}'; SET statement_timeout = '{PostgresSession.Millis(limits.StatementTimeout)}'", session.Connection))
            {
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var cmd = new NpgsqlCommand(statement, session.Connection);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (session.IsDatabaseFailure(ex))
        {
            throw session.Translate(ex, 0);
        }
    }

    /// <summary>A plain ROLLBACK: <see cref="ExecuteAsync"/> would first SET the timeouts, which an aborted
    /// transaction refuses.</summary>
    public async Task RollBackOpenTransactionAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", session.Connection);
            await rollback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (session.IsDatabaseFailure(ex))
        {
            throw session.Translate(ex, null);
        }
    }

    public async Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken) =>
        await session.OpenAsync(cancellationToken).ConfigureAwait(false);
}
