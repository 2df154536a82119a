using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>Read-only catalog questions.</summary>
internal sealed class MySqlCatalog(MySqlSession session) : ICatalog
{
    public Task<IReadOnlyList<KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken) => session.Run<IReadOnlyList<KeyColumn>>(async c =>
    {
        await using var cmd = new MySqlCommand("""
            SELECT k.COLUMN_NAME, c.COLUMN_TYPE FROM information_schema.KEY_COLUMN_USAGE k
            JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND c.COLUMN_NAME = k.COLUMN_NAME
            WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = @t AND k.CONSTRAINT_NAME = 'PRIMARY'
            ORDER BY k.ORDINAL_POSITION
            """, c);
        cmd.Parameters.AddWithValue("@t", table.Trim('`'));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new KeyColumn(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    });

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken) => session.Run<long?>(async c =>
    {
        await using var cmd = new MySqlCommand("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t", c);
        cmd.Parameters.AddWithValue("@t", table.Trim('`'));
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    });

    public Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(ForeignHistory history, CancellationToken cancellationToken) => session.Run<IReadOnlyList<string>?>(async c =>
    {
        var sql = new MySqlBackfillSql();
        // table names are case-sensitive on Linux: Liquibase creates DATABASECHANGELOG, DbUp SchemaVersions; the
        // exact name wins, otherwise the one that differs only in case
        string table;
        await using (var exists = new MySqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND LOWER(table_name) = LOWER(@t) ORDER BY table_name = @t DESC LIMIT 1", c))
        {
            exists.Parameters.AddWithValue("@t", history.TableWithoutSchemas);
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string found)
            {
                return null;
            }

            table = found;
        }

        await using var cmd = new MySqlCommand(history.Select(sql.Table(table), sql.Quote, c => $"CAST({c} AS CHAR)", true), c);
        return await ForeignHistory.ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    });
}
