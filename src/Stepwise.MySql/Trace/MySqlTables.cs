using MySqlConnector;

namespace Stepwise.MySql.Trace;

/// <summary>InnoDB's own ids of the current database's tables and indexes: a rebuilt table (COPY, or INPLACE with
/// rebuild) gets a new table id; INSTANT and in-place changes that do not rebuild keep it.</summary>
internal static class MySqlTables
{
    public sealed record Snapshot(Dictionary<string, long> Tables, Dictionary<(string Table, string Index), long> Indexes);

    public static async Task<Snapshot> ReadAsync(MySqlConnection connection, bool mariaDb, CancellationToken ct)
    {
        var (tables, indexes) = mariaDb
            ? ("information_schema.INNODB_SYS_TABLES", "information_schema.INNODB_SYS_INDEXES")
            : ("information_schema.INNODB_TABLES", "information_schema.INNODB_INDEXES");
        var snapshot = new Snapshot([], []);

        // NAME is 'database/table' (special characters encoded as @xxxx; plain names are what Stepwise traces)
        await using (var cmd = new MySqlCommand($"SELECT NAME, TABLE_ID FROM {tables} WHERE NAME LIKE CONCAT(DATABASE(), '/%')", connection))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var name = TableName(reader.GetString(0));
                if (name is not null)
                {
                    snapshot.Tables[name] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        await using (var cmd = new MySqlCommand($"SELECT t.NAME, i.NAME, i.INDEX_ID FROM {indexes} i JOIN {tables} t ON t.TABLE_ID = i.TABLE_ID WHERE t.NAME LIKE CONCAT(DATABASE(), '/%')", connection))
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var table = TableName(reader.GetString(0));
                var index = reader.GetString(1);
                if (table is not null && !index.StartsWith("GEN_CLUST", StringComparison.Ordinal) && !index.StartsWith("FTS_", StringComparison.Ordinal))
                {
                    snapshot.Indexes[(table, index)] = Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return snapshot;
    }

    private static string? TableName(string innodbName)
    {
        var name = innodbName[(innodbName.IndexOf('/', StringComparison.Ordinal) + 1)..];

        // the shadow copy of an ALTER (#sql-…) and full-text auxiliary tables are not user tables
        return name.StartsWith('#') || name.StartsWith("FTS_", StringComparison.Ordinal) ? null : name;
    }
}
