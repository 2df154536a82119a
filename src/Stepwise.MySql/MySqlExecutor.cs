using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>Runs migration statements on the working session.</summary>
internal sealed class MySqlExecutor(MySqlSession session, MySqlJournal journalStore) : IStatementExecutor
{
    private static string Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>lock_wait_timeout bounds metadata-lock waits (DDL); innodb_lock_wait_timeout row-lock waits.
    /// Both default to long waits (a year for metadata locks): always set them.</summary>
    private async Task SetLimitsAsync(ExecutionLimits limits, CancellationToken ct)
    {
        var statementLimit = session.IsMariaDb
            ? $"SET SESSION max_statement_time = {limits.StatementTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}"
            : $"SET SESSION max_execution_time = {((long)limits.StatementTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}";
        await using var cmd = new MySqlCommand($"SET SESSION lock_wait_timeout = {Seconds(limits.LockTimeout)}; SET SESSION innodb_lock_wait_timeout = {Seconds(limits.LockTimeout)}; {statementLimit}", session.Connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var index = -1;
        MySqlTransaction? tx = null;
        try
        {
            await SetLimitsAsync(limits, cancellationToken).ConfigureAwait(false);
            tx = await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            for (index = 0; index < statements.Count; index++)
            {
                await using var cmd = new MySqlCommand(statements[index], session.Connection, tx);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            index = -1;
            if (!journal.IsNone)
            {
                await using (var record = journalStore.Command(session.Connection, journal, tx))
                {
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MySqlSession.IsDatabaseFailure(ex))
        {
            if (tx is not null)
            {
                try
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception rollback) when (rollback is MySqlException or InvalidOperationException)
                {
                    // connection gone: the server rolls back
                }
            }

            throw session.Translate(ex, index >= 0 ? index : null);
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
            await SetLimitsAsync(limits, cancellationToken).ConfigureAwait(false);
            await using var cmd = new MySqlCommand(statement, session.Connection);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MySqlSession.IsDatabaseFailure(ex))
        {
            throw session.Translate(ex, 0);
        }
    }

    public async Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken) =>
        await session.OpenDataAsync(cancellationToken).ConfigureAwait(false);
}
