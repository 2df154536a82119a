using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>The migration lock: GET_LOCK on the working session, so a DDL statement the server goes on executing
/// after the client was killed keeps it until it ends and the next run cannot overlap it.</summary>
internal sealed class MySqlLock(MySqlSession session) : IMigrationLock
{
    public async Task<bool> TryAcquireAsync(TimeSpan wait, IProgress<LockWait>? waiting, CancellationToken cancellationToken)
    {
        // a first short try, so that a run that has to wait can say so, then the rest of the wait on the server
        var first = TimeSpan.FromSeconds(Math.Min(1, Math.Max(0, wait.TotalSeconds)));
        if (await GetLockAsync(first, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        if (wait <= first)
        {
            return false;
        }

        waiting?.Report(new LockWait(LockKind.MigrationLock, first));
        return await GetLockAsync(wait - first, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> GetLockAsync(TimeSpan wait, CancellationToken ct) => session.Run(async c =>
    {
        await using var cmd = new MySqlCommand("SELECT GET_LOCK(@name, @wait)", c);
        cmd.Parameters.AddWithValue("@name", session.LockName);
        cmd.Parameters.AddWithValue("@wait", Math.Max(0, (int)Math.Round(wait.TotalSeconds)));
        var result = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return result is not null and not DBNull && Convert.ToInt64(result, CultureInfo.InvariantCulture) == 1;
    });

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!session.IsOpen)
        {
            return;
        }

        try
        {
            await using var cmd = new MySqlCommand("SELECT RELEASE_LOCK(@name)", session.Connection);
            cmd.Parameters.AddWithValue("@name", session.LockName);
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MySqlSession.IsDatabaseFailure(ex))
        {
            // the session is gone, and with it the lock
        }
    }

    public Task<LockHolder?> HolderAsync(CancellationToken cancellationToken) => session.Run<LockHolder?>(async c =>
    {
        // the holder is another connection than ours; its details show only when this user may see it in PROCESSLIST
        await using var cmd = new MySqlCommand("""
            SELECT l.id, p.USER, p.COMMAND, p.TIME, LEFT(REPLACE(REPLACE(COALESCE(p.INFO, ''), '\n', ' '), '\r', ' '), 120)
            FROM (SELECT IS_USED_LOCK(@name) AS id) l LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id
            WHERE l.id IS NOT NULL AND l.id <> CONNECTION_ID()
            """, c);
        cmd.Parameters.AddWithValue("@name", session.LockName);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        string? Text(int i) => reader.IsDBNull(i) || reader.GetString(i).Length == 0 ? null : reader.GetString(i);
        long? Number(int i) => reader.IsDBNull(i) ? null : Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        return new LockHolder(Number(0) ?? 0, Text(1), Text(2), Number(3), Text(4));
    });
}
