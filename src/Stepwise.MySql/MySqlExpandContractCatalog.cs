using System.Globalization;
using MySqlConnector;

namespace Stepwise.MySql;

/// <summary>A column as information_schema.COLUMNS describes it.</summary>
/// <param name="Name">COLUMN_NAME.</param>
/// <param name="ColumnType">COLUMN_TYPE: the full type as declared (<c>varchar(20)</c>, <c>int(10) unsigned</c>).</param>
/// <param name="DataType">DATA_TYPE: the bare type name (<c>varchar</c>, <c>int</c>).</param>
/// <param name="Nullable">IS_NULLABLE is YES.</param>
/// <param name="Default">COLUMN_DEFAULT as MariaDB ≥ 10.2.7 prints it (an expression: <c>'x'</c>, <c>0</c>,
/// <c>current_timestamp()</c>), or null when the column has none (MariaDB's literal <c>NULL</c> is mapped to null).</param>
/// <param name="Extra">EXTRA (auto_increment, VIRTUAL/STORED GENERATED, on update …), empty when none.</param>
/// <param name="Collation">COLLATION_NAME, or null for a column that is not a character type.</param>
/// <param name="Comment">COLUMN_COMMENT, empty when none.</param>
internal sealed record EcColumn(string Name, string ColumnType, string DataType, bool Nullable, string? Default, string Extra, string? Collation, string Comment)
{
    public bool Generated => Extra.Contains("GENERATED", StringComparison.OrdinalIgnoreCase)
        || Extra.Contains("VIRTUAL", StringComparison.OrdinalIgnoreCase) || Extra.Contains("STORED", StringComparison.OrdinalIgnoreCase)
        || Extra.Contains("PERSISTENT", StringComparison.OrdinalIgnoreCase);

    public bool AutoIncrement => Extra.Contains("auto_increment", StringComparison.OrdinalIgnoreCase);
}

/// <summary>An index (information_schema.STATISTICS): its columns in order with their prefix lengths.</summary>
internal sealed record EcIndex(string Name, bool Unique, string IndexType, IReadOnlyList<(string Column, long? SubPart)> Columns)
{
    public bool Contains(string column) => Columns.Any(c => string.Equals(c.Column, column, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What the planner knows of one table.</summary>
internal sealed record EcTable(string Schema, string Name, string Type, IReadOnlyList<EcColumn> Columns, IReadOnlyList<EcIndex> Indexes)
{
    public EcColumn? Column(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The information_schema reads of the expand/contract planner (on the working session).</summary>
internal static class MySqlExpandContractCatalog
{
    public static (string? Schema, string Name) Split(string table)
    {
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (null, table.Trim('`')) : (table[..dot].Trim('`'), table[(dot + 1)..].Trim('`'));
    }

    private static MySqlCommand Command(MySqlConnection c, string sql, string table)
    {
        var (schema, name) = Split(table);
        var cmd = new MySqlCommand(sql.Replace("{schema}", schema is null ? "DATABASE()" : "@s", StringComparison.Ordinal), c);
        cmd.Parameters.AddWithValue("@t", name);
        if (schema is not null)
        {
            cmd.Parameters.AddWithValue("@s", schema);
        }

        return cmd;
    }

    private static async Task<List<object?[]>> RowsAsync(MySqlCommand cmd, CancellationToken ct)
    {
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static string S(object? value) => value switch
    {
        null => string.Empty,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>The table (or view), or null when there is none under that name.</summary>
    public static async Task<EcTable?> TableAsync(MySqlConnection c, string table, CancellationToken ct)
    {
        string schema, type, tableName;
        await using (var cmd = Command(c, "SELECT TABLE_SCHEMA, TABLE_TYPE, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = @t", table))
        {
            var rows = await RowsAsync(cmd, ct).ConfigureAwait(false);
            if (rows.Count == 0)
            {
                return null;
            }

            (schema, type, tableName) = (S(rows[0][0]), S(rows[0][1]), S(rows[0][2]));
        }

        var columns = new List<EcColumn>();
        await using (var cmd = Command(c, """
            SELECT COLUMN_NAME, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME, COLUMN_COMMENT
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION
            """, table))
        {
            foreach (var r in await RowsAsync(cmd, ct).ConfigureAwait(false))
            {
                var def = r[4] is null || S(r[4]) == "NULL" ? null : S(r[4]);
                columns.Add(new EcColumn(S(r[0]), S(r[1]), S(r[2]), S(r[3]) == "YES", def, S(r[5]), r[6] is null ? null : S(r[6]), S(r[7])));
            }
        }

        var indexes = new List<EcIndex>();
        await using (var cmd = Command(c, """
            SELECT INDEX_NAME, NON_UNIQUE, INDEX_TYPE, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = {schema} AND TABLE_NAME = @t ORDER BY INDEX_NAME, SEQ_IN_INDEX
            """, table))
        {
            foreach (var group in (await RowsAsync(cmd, ct).ConfigureAwait(false)).GroupBy(r => S(r[0]), StringComparer.Ordinal))
            {
                var first = group.First();
                indexes.Add(new EcIndex(
                    group.Key,
                    Convert.ToInt64(first[1], CultureInfo.InvariantCulture) == 0,
                    S(first[2]),
                    [.. group.Select(r => (S(r[3]), r[4] is null ? (long?)null : Convert.ToInt64(r[4], CultureInfo.InvariantCulture)))]));
            }
        }

        return new EcTable(schema, tableName, type, columns, indexes);
    }

    /// <summary>Foreign keys the column is part of, on either side: "name (t.c → u.d)".</summary>
    public static async Task<IReadOnlyList<string>> ForeignKeysAsync(MySqlConnection c, string table, string column, CancellationToken ct)
    {
        await using var cmd = Command(c, """
            SELECT CONSTRAINT_NAME, TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
            WHERE REFERENCED_TABLE_NAME IS NOT NULL AND ((TABLE_SCHEMA = {schema} AND TABLE_NAME = @t AND COLUMN_NAME = @c)
               OR (REFERENCED_TABLE_SCHEMA = {schema} AND REFERENCED_TABLE_NAME = @t AND REFERENCED_COLUMN_NAME = @c))
            """, table);
        cmd.Parameters.AddWithValue("@c", column);
        return [.. (await RowsAsync(cmd, ct).ConfigureAwait(false)).Select(r => $"{S(r[0])} ({S(r[1])}.{S(r[2])} → {S(r[3])}.{S(r[4])})")];
    }

    /// <summary>Views whose definition names the table and the column (MariaDB has no VIEW_COLUMN_USAGE: a text match,
    /// which errs on the side of refusing).</summary>
    public static async Task<IReadOnlyList<string>> ViewsUsingAsync(MySqlConnection c, string table, string? column, CancellationToken ct)
    {
        await using var cmd = Command(c, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = {schema}", table);
        var (_, name) = Split(table);
        return [.. (await RowsAsync(cmd, ct).ConfigureAwait(false))
            .Where(r => S(r[1]).Contains("`" + name + "`", StringComparison.OrdinalIgnoreCase) && (column is null || S(r[1]).Contains("`" + column + "`", StringComparison.OrdinalIgnoreCase)))
            .Select(r => S(r[0]))];
    }

    /// <summary>CHECK constraints of the table whose clause names the column.</summary>
    public static async Task<IReadOnlyList<string>> ChecksUsingAsync(MySqlConnection c, string table, string column, CancellationToken ct)
    {
        try
        {
            await using var cmd = Command(c, "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = {schema} AND TABLE_NAME = @t", table);
            return [.. (await RowsAsync(cmd, ct).ConfigureAwait(false)).Where(r => S(r[1]).Contains("`" + column + "`", StringComparison.OrdinalIgnoreCase)).Select(r => S(r[0]))];
        }
        catch (MySqlException)
        {
            // MySQL's CHECK_CONSTRAINTS has no TABLE_NAME before 8.0.16; no checks to worry about there
            return [];
        }
    }

    /// <summary>Whether performance_schema is on (for the old-name guard).</summary>
    public static async Task<bool> PerformanceSchemaOnAsync(MySqlConnection c, CancellationToken ct)
    {
        await using var cmd = new MySqlCommand("SELECT @@performance_schema", c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 1;
    }
}
