using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>Read-only catalog questions.</summary>
internal sealed class MySqlCatalog(MySqlSession session) : ICatalog, IUniqueKeyCatalog
{
    /// <summary>Unique indexes (not PRIMARY) on whole, NOT NULL columns (no prefix or functional part); the one with the
    /// fewest columns, then the fewest bytes, then by name.</summary>
    public Task<IReadOnlyList<KeyColumn>> UniqueNotNullKeyAsync(string table, CancellationToken cancellationToken) => session.Run<IReadOnlyList<KeyColumn>>(async c =>
    {
        await using var cmd = new MySqlCommand("""
            SELECT s.INDEX_NAME, s.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE, s.SUB_PART, COALESCE(c.CHARACTER_OCTET_LENGTH, 8)
            FROM information_schema.STATISTICS s
            LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
            WHERE s.TABLE_SCHEMA = DATABASE() AND s.TABLE_NAME = @t AND s.NON_UNIQUE = 0 AND s.INDEX_NAME <> 'PRIMARY'
            ORDER BY s.INDEX_NAME, s.SEQ_IN_INDEX
            """, c);
        cmd.Parameters.AddWithValue("@t", table.Trim('`'));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var indexes = new Dictionary<string, (List<KeyColumn> Columns, bool Usable, long Bytes)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            var entry = indexes.TryGetValue(name, out var e) ? e : ([], true, 0L);
            var usable = !reader.IsDBNull(1) && !reader.IsDBNull(2) && reader.GetString(3) == "NO" && reader.IsDBNull(4);
            if (usable)
            {
                entry.Columns.Add(new KeyColumn(reader.GetString(1), reader.GetString(2)));
            }

            indexes[name] = (entry.Columns, entry.Usable && usable, entry.Bytes + (reader.IsDBNull(5) ? 8 : Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture)));
        }

        return indexes.Where(i => i.Value.Usable && i.Value.Columns.Count > 0)
            .OrderBy(i => i.Value.Columns.Count).ThenBy(i => i.Value.Bytes).ThenBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => (IReadOnlyList<KeyColumn>)i.Value.Columns).FirstOrDefault() ?? [];
    });

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
