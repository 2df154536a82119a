using System.Globalization;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>Read-only catalog questions.</summary>
internal sealed class SqliteCatalog(SqliteSession session) : ICatalog
{
    /// <summary>The declared primary key, else rowid (every ordinary SQLite table has one).</summary>
    public Task<IReadOnlyList<KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken) => session.Run<IReadOnlyList<KeyColumn>>(async c =>
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name, type, pk FROM pragma_table_info($t) ORDER BY pk";
        cmd.Parameters.AddWithValue("$t", table.Trim('"'));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var columns = 0;
        var list = new List<KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns++;
            if (reader.GetInt32(2) > 0)
            {
                list.Add(new KeyColumn(reader.GetString(0), reader.GetString(1)));
            }
        }

        return columns == 0 ? [] : list.Count > 0 ? list : [new KeyColumn("rowid", "INTEGER")];
    });

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken) => session.Run<long?>(async c =>
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM \"{table.Trim('"').Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    });

    public Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(ForeignHistory history, CancellationToken cancellationToken) => session.Run<IReadOnlyList<string>?>(async c =>
    {
        var sql = new SqliteBackfillSql();
        await using (var exists = c.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $t COLLATE NOCASE"; // SQLite's names ignore case (DbUp: SchemaVersions)
            exists.Parameters.AddWithValue("$t", history.TableWithoutSchemas);
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }
        }

        // SQLite reads a double-quoted name that is no column as a string literal: a table of that name without the
        // tool's columns would "return" the column's name on every row. It is not the tool's table.
        var needed = history.ColumnsUsed.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await using (var columns = c.CreateCommand())
        {
            columns.CommandText = "SELECT name FROM pragma_table_info($t)";
            columns.Parameters.AddWithValue("$t", history.TableWithoutSchemas);
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            await using var names = await columns.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await names.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                present.Add(names.GetString(0));
            }

            if (!needed.All(present.Contains))
            {
                return null;
            }
        }

        await using var cmd = c.CreateCommand();
        cmd.CommandText = history.Select(sql.Table(history.TableWithoutSchemas), sql.Quote, c => $"CAST({c} AS TEXT)", false);
        return await ForeignHistory.ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    });
}
