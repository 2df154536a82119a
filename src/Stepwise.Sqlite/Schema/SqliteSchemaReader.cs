using System.Globalization;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Sqlite.Schema;

/// <summary>The schema from sqlite_schema and the table pragmas: column types as declared, defaults as the
/// pragma prints them. SQLite names no primary key, unique or foreign-key constraint, so they are named by their
/// definition (<c>UNIQUE (email)</c>); CHECK constraints are read from the CREATE TABLE text (by their declared
/// name, else by their definition). Indexes that only back a constraint (sqlite_autoindex_…) are left out.</summary>
internal sealed class SqliteSchemaReader(SqliteSession session) : ISchemaReader
{
    public Task<SchemaSnapshot> ReadAsync(CancellationToken cancellationToken) => session.Run(async c =>
    {
        var objects = await Rows(c, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", cancellationToken).ConfigureAwait(false);
        var tables = new List<TableShape>();
        foreach (var o in objects.Where(o => o[0] is "table" or "view"))
        {
            var name = (string)o[1]!;
            if (SchemaExclusions.IsExcluded(name))
            {
                continue;
            }

            var sql = o[3] as string ?? string.Empty;
            var view = (string)o[0]! == "view";
            var autoincrement = sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
            var columns = new List<ColumnShape>();
            var key = new List<(long Order, string Column)>();
            foreach (var r in await Rows(c, "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo($t) ORDER BY cid", cancellationToken, name).ConfigureAwait(false))
            {
                var column = (string)r[0]!;
                var pk = (long)r[4]!;
                var hidden = (long)r[5]!;
                if (pk > 0)
                {
                    key.Add((pk, column));
                }

                var identity = hidden is 2 or 3 ? "generated" : pk > 0 && autoincrement ? "autoincrement" : null;
                columns.Add(new ColumnShape(column, (string)r[1]!, (long)r[2]! == 0, r[3] as string, identity));
            }

            if (view)
            {
                tables.Add(new TableShape(name, columns, [], [], [], true));
                continue;
            }

            var constraints = new List<ConstraintShape>();
            if (key.Count > 0)
            {
                var list = key.OrderBy(k => k.Order).Select(k => k.Column).ToList();
                constraints.Add(new ConstraintShape($"PRIMARY KEY ({string.Join(", ", list)})", ConstraintShapeKind.PrimaryKey, list, $"PRIMARY KEY ({string.Join(", ", list)})"));
            }

            var indexes = new List<IndexShape>();
            foreach (var r in await Rows(c, "SELECT name, \"unique\", origin FROM pragma_index_list($t)", cancellationToken, name).ConfigureAwait(false))
            {
                var index = (string)r[0]!;
                var columnsOf = new List<string>();
                foreach (var x in await Rows(c, "SELECT name FROM pragma_index_xinfo($t) WHERE key = 1 ORDER BY seqno", cancellationToken, index).ConfigureAwait(false))
                {
                    columnsOf.Add(x[0] as string ?? "(expression)");
                }

                switch ((string)r[2]!)
                {
                    case "u":
                        var definition = $"UNIQUE ({string.Join(", ", columnsOf)})";
                        constraints.Add(new ConstraintShape(definition, ConstraintShapeKind.Unique, columnsOf, definition));
                        break;
                    case "c":
                        var text = objects.FirstOrDefault(o => (string)o[1]! == index)?[3] as string ?? index;
                        indexes.Add(new IndexShape(index, columnsOf, (long)r[1]! != 0, text));
                        break;
                }
            }

            var foreignKeys = new SortedDictionary<long, (string Table, List<string> From, List<string?> To, string OnUpdate, string OnDelete)>();
            foreach (var r in await Rows(c, "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list($t) ORDER BY id, seq", cancellationToken, name).ConfigureAwait(false))
            {
                var id = (long)r[0]!;
                if (!foreignKeys.TryGetValue(id, out var fk))
                {
                    foreignKeys[id] = fk = ((string)r[1]!, [], [], (string)r[4]!, (string)r[5]!);
                }

                fk.From.Add((string)r[2]!);
                fk.To.Add(r[3] as string);
            }

            foreach (var fk in foreignKeys.Values)
            {
                var to = fk.To.All(t => t is not null) ? fk.To.Select(t => t!).ToList() : [];
                var definition = $"FOREIGN KEY ({string.Join(", ", fk.From)}) REFERENCES {fk.Table} ({string.Join(", ", to)}) ON UPDATE {fk.OnUpdate} ON DELETE {fk.OnDelete}";
                constraints.Add(new ConstraintShape(definition, ConstraintShapeKind.ForeignKey, fk.From, definition, new ForeignKeyTarget(fk.Table, to)));
            }

            constraints.AddRange(SqliteChecks.Read(sql));
            var triggers = objects
                .Where(o => (string)o[0]! == "trigger" && (string)o[2]! == name && !SchemaExclusions.IsExcluded((string)o[1]!))
                .Select(o => new TriggerShape((string)o[1]!, o[3] as string ?? string.Empty))
                .ToList();
            tables.Add(new TableShape(
                name,
                columns,
                [.. indexes.OrderBy(i => i.Name, StringComparer.Ordinal)],
                [.. constraints.OrderBy(x => x.Name, StringComparer.Ordinal)],
                triggers));
        }

        return new SchemaSnapshot([.. tables.OrderBy(t => t.Name, StringComparer.Ordinal)], []);
    });

    private static async Task<List<object?[]>> Rows(SqliteConnection c, string sql, CancellationToken ct, string? table = null)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        if (table is not null)
        {
            cmd.Parameters.AddWithValue("$t", table);
        }

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

/// <summary>CHECK constraints found in a CREATE TABLE statement's text (string literals and quoted names skipped).</summary>
internal static class SqliteChecks
{
    public static IEnumerable<ConstraintShape> Read(string sql)
    {
        var i = 0;
        var previousWords = new List<string>();
        while (i < sql.Length)
        {
            var ch = sql[i];
            if (ch is '\'' or '"' or '`' or '[')
            {
                var close = ch == '[' ? ']' : ch;
                var end = sql.IndexOf(close, i + 1);
                end = end < 0 ? sql.Length - 1 : end;
                previousWords.Add(sql[(i + 1)..end]);
                i = end + 1;
                continue;
            }

            if (char.IsLetter(ch) || ch == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                {
                    i++;
                }

                var word = sql[start..i];
                if (word.Equals("CHECK", StringComparison.OrdinalIgnoreCase))
                {
                    var open = sql.IndexOf('(', i);
                    if (open < 0)
                    {
                        yield break;
                    }

                    var depth = 0;
                    var j = open;
                    for (; j < sql.Length; j++)
                    {
                        if (sql[j] == '\'')
                        {
                            var endQuote = sql.IndexOf('\'', j + 1);
                            j = endQuote < 0 ? sql.Length - 1 : endQuote;
                            continue;
                        }

                        depth += sql[j] == '(' ? 1 : sql[j] == ')' ? -1 : 0;
                        if (depth == 0)
                        {
                            break;
                        }
                    }

                    var definition = "CHECK " + sql[open..Math.Min(j + 1, sql.Length)];
                    var declared = previousWords.Count >= 2 && previousWords[^2].Equals("CONSTRAINT", StringComparison.OrdinalIgnoreCase) ? previousWords[^1] : null;
                    yield return new ConstraintShape(declared ?? definition, ConstraintShapeKind.Check, [], definition);
                    i = j + 1;
                    previousWords.Clear();
                    continue;
                }

                previousWords.Add(word);
                continue;
            }

            if (!char.IsWhiteSpace(ch))
            {
                previousWords.Clear();
            }

            i++;
        }

    }
}
