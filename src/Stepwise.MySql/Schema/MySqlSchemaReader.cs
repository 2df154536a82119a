using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql.Schema;

/// <summary>The schema of the connected database from information_schema: column types as COLUMN_TYPE prints
/// them (<c>varchar(300)</c>, <c>int(11)</c> on MariaDB, <c>enum('a','b')</c>), defaults as COLUMN_DEFAULT (MariaDB's
/// text <c>NULL</c> for "no default" read as none), indexes from STATISTICS, constraints from TABLE_CONSTRAINTS,
/// KEY_COLUMN_USAGE, REFERENTIAL_CONSTRAINTS and CHECK_CONSTRAINTS, triggers from TRIGGERS.</summary>
internal sealed class MySqlSchemaReader(MySqlSession session) : ISchemaReader
{
    public Task<SchemaSnapshot> ReadAsync(CancellationToken cancellationToken) => session.Run(async c =>
    {
        var tables = new SortedDictionary<string, (bool View, List<ColumnShape> Columns, List<IndexShape> Indexes, List<ConstraintShape> Constraints, List<TriggerShape> Triggers)>(StringComparer.Ordinal);
        foreach (var r in await Rows(c, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()", cancellationToken).ConfigureAwait(false))
        {
            var name = Text(r[0])!;
            if (!SchemaExclusions.IsExcluded(name))
            {
                tables[name] = (Text(r[1]) == "VIEW", [], [], [], []);
            }
        }

        foreach (var r in await Rows(c, """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
            """, cancellationToken).ConfigureAwait(false))
        {
            if (tables.TryGetValue(Text(r[0])!, out var t))
            {
                var extra = Text(r[5])?.Trim().ToLowerInvariant();
                var generated = Text(r[6]);
                var identity = string.IsNullOrEmpty(extra) ? null : extra + (string.IsNullOrEmpty(generated) ? string.Empty : " as (" + generated + ")");
                var isNullable = Text(r[3]) == "YES";
                var @default = Text(r[4]);
                if (@default == "NULL" && isNullable)
                {
                    @default = null; // MariaDB prints an explicit NULL default (and no default) as the text NULL
                }

                t.Columns.Add(new ColumnShape(Text(r[1])!, Text(r[2])!, isNullable, @default, identity));
            }
        }

        var indexParts = new SortedDictionary<(string Table, string Index), (bool Unique, string Type, List<string> Columns)>();
        foreach (var r in await Rows(c, """
            SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
            """, cancellationToken).ConfigureAwait(false))
        {
            var key = (Text(r[0])!, Text(r[1])!);
            if (!indexParts.TryGetValue(key, out var index))
            {
                indexParts[key] = index = (Convert.ToInt64(r[2], CultureInfo.InvariantCulture) == 0, Text(r[5]) ?? "BTREE", []);
            }

            var column = Text(r[3]) ?? "(expression)";
            index.Columns.Add(r[4] is null or DBNull ? column : $"{column}({Convert.ToInt64(r[4], CultureInfo.InvariantCulture)})");
        }

        foreach (var ((table, name), index) in indexParts)
        {
            if (tables.TryGetValue(table, out var t))
            {
                t.Indexes.Add(new IndexShape(name, index.Columns, index.Unique, $"{(index.Unique ? "UNIQUE " : string.Empty)}INDEX {name} USING {index.Type} ({string.Join(", ", index.Columns)})"));
            }
        }

        var keyColumns = new Dictionary<(string Table, string Name), (List<string> Columns, string? RefTable, List<string> RefColumns)>();
        foreach (var r in await Rows(c, """
            SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
            FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
            """, cancellationToken).ConfigureAwait(false))
        {
            var key = (Text(r[0])!, Text(r[1])!);
            if (!keyColumns.TryGetValue(key, out var k))
            {
                keyColumns[key] = k = ([], Text(r[3]), []);
            }

            k.Columns.Add(Text(r[2])!);
            if (Text(r[4]) is { } referenced)
            {
                k.RefColumns.Add(referenced);
            }
        }

        var rules = new Dictionary<(string Table, string Name), string>();
        foreach (var r in await Rows(c, "SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()", cancellationToken).ConfigureAwait(false))
        {
            rules[(Text(r[0])!, Text(r[1])!)] = $" ON UPDATE {Text(r[2])} ON DELETE {Text(r[3])}";
        }

        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in await Rows(c, "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()", cancellationToken).ConfigureAwait(false))
        {
            checks[Text(r[0])!] = Text(r[1])!;
        }

        foreach (var r in await Rows(c, "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME", cancellationToken).ConfigureAwait(false))
        {
            var (table, name, type) = (Text(r[0])!, Text(r[1])!, Text(r[2])!);
            if (!tables.TryGetValue(table, out var t))
            {
                continue;
            }

            keyColumns.TryGetValue((table, name), out var k);
            var columns = (IReadOnlyList<string>?)k.Columns ?? [];
            var list = string.Join(", ", columns);
            t.Constraints.Add(type switch
            {
                "PRIMARY KEY" => new ConstraintShape(name, ConstraintShapeKind.PrimaryKey, columns, $"PRIMARY KEY ({list})"),
                "UNIQUE" => new ConstraintShape(name, ConstraintShapeKind.Unique, columns, $"UNIQUE ({list})"),
                "FOREIGN KEY" => new ConstraintShape(name, ConstraintShapeKind.ForeignKey, columns, $"FOREIGN KEY ({list}) REFERENCES {k.RefTable} ({string.Join(", ", k.RefColumns ?? [])}){rules.GetValueOrDefault((table, name))}", new ForeignKeyTarget(k.RefTable ?? string.Empty, k.RefColumns ?? [])),
                "CHECK" => new ConstraintShape(name, ConstraintShapeKind.Check, [], $"CHECK ({checks.GetValueOrDefault(name)})"),
                _ => new ConstraintShape(name, ConstraintShapeKind.Other, columns, type),
            });
        }

        foreach (var r in await Rows(c, """
            SELECT EVENT_OBJECT_TABLE, TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORIENTATION, ACTION_STATEMENT
            FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY EVENT_OBJECT_TABLE, TRIGGER_NAME
            """, cancellationToken).ConfigureAwait(false))
        {
            var name = Text(r[1])!;
            if (tables.TryGetValue(Text(r[0])!, out var t) && !SchemaExclusions.IsExcluded(name))
            {
                t.Triggers.Add(new TriggerShape(name, $"{Text(r[2])} {Text(r[3])} FOR EACH {Text(r[4])} {Text(r[5])}"));
            }
        }

        return new SchemaSnapshot(
            [.. tables.Select(t => new TableShape(t.Key, t.Value.Columns, t.Value.Indexes, [.. t.Value.Constraints.OrderBy(x => x.Name, StringComparer.Ordinal)], t.Value.Triggers, t.Value.View))],
            []);
    });

    private static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static async Task<List<object?[]>> Rows(MySqlConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = new MySqlCommand(sql, c);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }
}
