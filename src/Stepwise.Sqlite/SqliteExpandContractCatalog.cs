using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Stepwise.Sqlite;

/// <summary>A column as SQLite's catalog and the table's CREATE text describe it.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">The declared type (pragma table_xinfo's type; empty when none was written).</param>
/// <param name="NotNull">The column is NOT NULL.</param>
/// <param name="Default">The default's expression text, or null when the column has none.</param>
/// <param name="PrimaryKey">1-based position in the primary key, 0 when not part of it.</param>
/// <param name="Definition">The text after the name in CREATE TABLE (type and column constraints, as written).</param>
/// <param name="Hidden">pragma table_xinfo's hidden: 2 or 3 for a generated column.</param>
internal sealed record SqliteEcColumn(string Name, string Type, bool NotNull, string? Default, int PrimaryKey, int Hidden, string Definition);

/// <summary>An index of the table: origin c (CREATE INDEX), u (UNIQUE constraint), pk.</summary>
internal sealed record SqliteEcIndex(string Name, bool Unique, string Origin, bool Partial, IReadOnlyList<string?> Columns, string? Sql);

/// <summary>What a plan needs to know of one table.</summary>
internal sealed record SqliteEcTable(
    string Name,
    string Type,
    bool WithoutRowid,
    string Sql,
    IReadOnlyList<SqliteEcColumn> Columns,
    IReadOnlyList<SqliteEcIndex> Indexes,
    IReadOnlyList<string> ForeignKeyColumns,
    IReadOnlyList<(string Table, IReadOnlyList<string> Columns)> ReferencedBy,
    IReadOnlyList<(string Type, string Name, string Sql)> Dependents,
    IReadOnlyList<string> ChecksText)
{
    public SqliteEcColumn? Column(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<SqliteEcColumn> PrimaryKey => [.. Columns.Where(c => c.PrimaryKey > 0).OrderBy(c => c.PrimaryKey)];
}

/// <summary>Catalog reads of SQLite's expand/contract planning.</summary>
internal static class SqliteExpandContractCatalog
{
    public static async Task<string> VersionAsync(SqliteConnection c, CancellationToken ct) =>
        Convert.ToString(await ScalarAsync(c, "SELECT sqlite_version()", ct).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "0";

    public static async Task<bool> RecursiveTriggersAsync(SqliteConnection c, CancellationToken ct) =>
        Convert.ToInt64(await ScalarAsync(c, "PRAGMA recursive_triggers", ct).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0;

    /// <summary>The type of the schema object of that name (table, view, index, trigger), or null.</summary>
    public static async Task<string?> ObjectTypeAsync(SqliteConnection c, string name, CancellationToken ct) =>
        await ScalarAsync(c, $"SELECT type FROM sqlite_schema WHERE name = {SqliteExpandContractText.Literal(name)} COLLATE NOCASE", ct).ConfigureAwait(false) as string;

    public static async Task<SqliteEcTable?> TableAsync(SqliteConnection c, string table, CancellationToken ct)
    {
        var lit = SqliteExpandContractText.Literal(table);
        var master = await RowsAsync(c, $"SELECT type, name, sql FROM sqlite_schema WHERE name = {lit} COLLATE NOCASE AND type = 'table'", ct).ConfigureAwait(false);
        if (master.Count == 0)
        {
            return null;
        }

        var name = (string)master[0][1]!;
        var sql = master[0][2] as string ?? string.Empty;
        lit = SqliteExpandContractText.Literal(name);
        var definitions = SqliteExpandContractText.ColumnDefinitions(sql);
        var columns = new List<SqliteEcColumn>();
        foreach (var row in await RowsAsync(c, $"SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo({lit}) ORDER BY cid", ct).ConfigureAwait(false))
        {
            var column = (string)row[0]!;
            var definition = definitions.FirstOrDefault(d => string.Equals(d.Column, column, StringComparison.OrdinalIgnoreCase)).Definition ?? (string)row[1]!;
            columns.Add(new SqliteEcColumn(column, (string)row[1]!, Convert.ToInt64(row[2], CultureInfo.InvariantCulture) != 0, row[3] as string,
                Convert.ToInt32(row[4], CultureInfo.InvariantCulture), Convert.ToInt32(row[5], CultureInfo.InvariantCulture), definition));
        }

        var indexes = new List<SqliteEcIndex>();
        foreach (var row in await RowsAsync(c, $"SELECT l.name, l.\"unique\", l.origin, l.partial, s.sql FROM pragma_index_list({lit}) l LEFT JOIN sqlite_schema s ON s.type = 'index' AND s.name = l.name", ct).ConfigureAwait(false))
        {
            var index = (string)row[0]!;
            var keyColumns = (await RowsAsync(c, $"SELECT name FROM pragma_index_info({SqliteExpandContractText.Literal(index)}) ORDER BY seqno", ct).ConfigureAwait(false)).Select(r => r[0] as string).ToList();
            indexes.Add(new SqliteEcIndex(index, Convert.ToInt64(row[1], CultureInfo.InvariantCulture) != 0, (string)row[2]!, Convert.ToInt64(row[3], CultureInfo.InvariantCulture) != 0, keyColumns, row[4] as string));
        }

        var fkColumns = (await RowsAsync(c, $"SELECT \"from\" FROM pragma_foreign_key_list({lit})", ct).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList();

        var referencedBy = new List<(string, IReadOnlyList<string>)>();
        var pk = columns.Where(col => col.PrimaryKey > 0).Select(col => col.Name).ToList();
        foreach (var row in await RowsAsync(c, "SELECT m.name, f.\"table\", f.\"to\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'", ct).ConfigureAwait(false))
        {
            if (string.Equals((string)row[1]!, name, StringComparison.OrdinalIgnoreCase))
            {
                referencedBy.Add(((string)row[0]!, row[2] is string to ? [to] : pk));
            }
        }

        var dependents = (await RowsAsync(c, $"SELECT type, name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') AND sql IS NOT NULL", ct).ConfigureAwait(false))
            .Where(r => SqliteExpandContractText.Mentions((string)r[2]!, name))
            .Select(r => ((string)r[0]!, (string)r[1]!, (string)r[2]!))
            .ToList();

        var checks = new List<string>();
        var tokens = SqliteExpandContractText.Tokenize(sql);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind == SqliteExpandContractText.TokenKind.Word && string.Equals(tokens[i].Text, "CHECK", StringComparison.OrdinalIgnoreCase))
            {
                var depth = 0;
                var start = -1;
                for (var j = i + 1; j < tokens.Count; j++)
                {
                    if (tokens[j].Text == "(")
                    {
                        depth++;
                        start = start < 0 ? tokens[j].Start : start;
                    }
                    else if (tokens[j].Text == ")" && --depth == 0)
                    {
                        checks.Add(sql[start..(tokens[j].Start + 1)]);
                        break;
                    }
                }
            }
        }

        var withoutRowid = Convert.ToInt64(await ScalarAsync(c, $"SELECT wr FROM pragma_table_list WHERE name = {lit} AND schema = 'main'", ct).ConfigureAwait(false) ?? 0L, CultureInfo.InvariantCulture) != 0;
        return new SqliteEcTable(name, "table", withoutRowid, sql, columns, indexes, fkColumns, referencedBy, dependents, checks);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    private static async Task<List<object?[]>> RowsAsync(SqliteConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
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
}
