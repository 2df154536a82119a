using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>
/// Table sizes from information_schema.TABLES only (never a row of user data): TABLE_ROWS (InnoDB's estimate) and
/// DATA_LENGTH + INDEX_LENGTH, for the connected database. On MySQL 8 the session asks for fresh statistics
/// (information_schema_stats_expiry = 0) rather than a copy cached up to a day.
/// </summary>
internal sealed class MySqlTableSizes(MySqlSession session) : ITableSizes
{
    public Task<IReadOnlyList<TableSize>> ReadAsync(CancellationToken cancellationToken) => session.Run<IReadOnlyList<TableSize>>(async c =>
    {
        try
        {
            await using var fresh = new MySqlCommand("SET SESSION information_schema_stats_expiry = 0", c);
            await fresh.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MySqlException)
        {
            // MariaDB and MySQL 5.7 have no such cache
        }

        await using var cmd = new MySqlCommand(
            """
            SELECT TABLE_NAME, CAST(COALESCE(TABLE_ROWS, 0) AS SIGNED), CAST(COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) AS SIGNED)
            FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
            ORDER BY TABLE_NAME
            """,
            c);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var sizes = new List<TableSize>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sizes.Add(new TableSize(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return sizes;
    });
}
