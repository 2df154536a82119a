using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Migrations.Verify;

/// <summary>
/// The rows `verify` puts into a scratch database and reads back: a few generated rows in every empty table
/// (values from the column type, NOT NULL, unique and foreign keys respected, parents before children), and a
/// table's rows as text, keyed by primary key, to see what a down migration threw away.
/// </summary>
internal sealed partial class VerifyData(DbConnection connection, IBackfillSql sql, SqlDialect dialect)
{
    public const int RowsPerTable = 3;

    /// <summary>Seeds every empty table; returns the tables that could not be seeded, with the reason.</summary>
    public async Task<IReadOnlyList<string>> SeedAsync(SchemaSnapshot schema, CancellationToken ct)
    {
        var notes = new List<string>();
        foreach (var table in DependencyOrder(schema.Tables.Where(t => !t.IsView).ToList()))
        {
            if (await CountAsync(table.Name, ct).ConfigureAwait(false) > 0)
            {
                continue;
            }

            try
            {
                var rows = await RowsAsync(schema, table, ct).ConfigureAwait(false);
                if (rows is null)
                {
                    notes.Add($"{table.Name}: not seeded (a required foreign key has no parent row)");
                    continue;
                }

                foreach (var insert in rows)
                {
                    await ExecuteAsync(insert, ct).ConfigureAwait(false);
                }
            }
            catch (DbException ex)
            {
                notes.Add($"{table.Name}: not seeded ({ex.Message.Split('\n')[0]})");
            }
        }

        return notes;
    }

    /// <summary>Every row of a table as text, for the columns given (null when the table cannot be read).</summary>
    public async Task<TableRows?> ReadAsync(TableShape table, CancellationToken ct)
    {
        var key = table.Constraints.FirstOrDefault(c => c.Kind == ConstraintShapeKind.PrimaryKey)?.Columns ?? [];
        var columns = table.Columns.Select(c => c.Name).ToList();
        var select = $"SELECT {string.Join(", ", columns.Select(AsText))} FROM {sql.Table(table.Name)}";
        try
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = select;
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var rows = new List<string?[]>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var row = new string?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
                }

                rows.Add(row);
            }

            return new TableRows(table.Name, columns, [.. key.Select(k => columns.IndexOf(k)).Where(i => i >= 0)], rows);
        }
        catch (DbException)
        {
            return null;
        }
    }

    private string AsText(string column) => dialect switch
    {
        SqlDialect.PostgreSql => sql.Quote(column) + "::text",
        SqlDialect.MySql => $"CAST({sql.Quote(column)} AS CHAR)",
        _ => $"CAST({sql.Quote(column)} AS TEXT)",
    };

    private async Task<long> CountAsync(string table, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {sql.Table(table)}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async Task ExecuteAsync(string statement, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = statement;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task<List<string>?> RowsAsync(SchemaSnapshot schema, TableShape table, CancellationToken ct)
    {
        // foreign-key columns take the parent's existing values (row i takes parent row i mod n)
        var fkValues = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var fk in table.Constraints.Where(c => c.Kind == ConstraintShapeKind.ForeignKey && c.References is not null))
        {
            var target = fk.References!;
            var parent = schema.Tables.FirstOrDefault(t => t.Name == target.Table);
            var parentRows = parent is null || target.Table == table.Name || target.Columns.Count != fk.Columns.Count ? null : await ReadAsync(parent with { Columns = [.. target.Columns.Select(c => new ColumnShape(c, string.Empty, true, null))] }, ct).ConfigureAwait(false);
            for (var k = 0; k < fk.Columns.Count; k++)
            {
                fkValues[fk.Columns[k]] = parentRows is null || parentRows.Rows.Count == 0 ? [] : [.. parentRows.Rows.Select(r => r[k])];
            }
        }

        var inserts = new List<string>();
        for (var i = 1; i <= RowsPerTable; i++)
        {
            var names = new List<string>();
            var values = new List<string>();
            foreach (var column in table.Columns)
            {
                string? value;
                if (fkValues.TryGetValue(column.Name, out var parents))
                {
                    if (parents.Count == 0)
                    {
                        if (!column.Nullable)
                        {
                            return null;
                        }

                        continue;
                    }

                    value = parents[(i - 1) % parents.Count] is { } v ? Literal(v) : "NULL";
                }
                else if (column.Identity is not null || column.Default is not null)
                {
                    continue; // identity, generated, sequence and other defaults fill themselves
                }
                else
                {
                    value = Value(column.Type, i, schema);
                }

                names.Add(sql.Quote(column.Name));
                values.Add(value);
            }

            inserts.Add(names.Count == 0
                ? (dialect == SqlDialect.MySql ? $"INSERT INTO {sql.Table(table.Name)} () VALUES ()" : $"INSERT INTO {sql.Table(table.Name)} DEFAULT VALUES")
                : $"INSERT INTO {sql.Table(table.Name)} ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})");
        }

        return inserts;
    }

    /// <summary>A literal for row <paramref name="i"/> (1-based) of a column of <paramref name="type"/>.</summary>
    internal static string Value(string type, int i, SchemaSnapshot schema)
    {
        var t = type.ToLowerInvariant();
        var n = i.ToString(CultureInfo.InvariantCulture);
        if (schema.Enums.FirstOrDefault(e => e.Name == type || e.Name.EndsWith("." + type, StringComparison.Ordinal)) is { Values.Count: > 0 } pgEnum)
        {
            return Literal(pgEnum.Values[(i - 1) % pgEnum.Values.Count]);
        }

        if ((t.StartsWith("enum(", StringComparison.Ordinal) || t.StartsWith("set(", StringComparison.Ordinal)) && QuotedValue().Match(type) is { Success: true } first)
        {
            return Literal(first.Groups[1].Value);
        }

        if (t.EndsWith("[]", StringComparison.Ordinal))
        {
            return "'{}'";
        }

        if (t.StartsWith("bool", StringComparison.Ordinal))
        {
            return i % 2 == 1 ? "'true'" : "'false'";
        }

        if (t.StartsWith("bit", StringComparison.Ordinal))
        {
            return i % 2 == 1 ? "b'1'" : "b'0'";
        }

        if (t.StartsWith("year", StringComparison.Ordinal))
        {
            return (2000 + i).ToString(CultureInfo.InvariantCulture);
        }

        if (NumberType().IsMatch(t))
        {
            // far from the ids a migration's own seed rows use (1, 2, …); tinyint stays in range
            return t.StartsWith("tinyint", StringComparison.Ordinal) ? n : (9000 + i).ToString(CultureInfo.InvariantCulture);
        }

        if (t.Contains("uuid", StringComparison.Ordinal))
        {
            return $"'00000000-0000-4000-8000-{i:D12}'";
        }

        if (t.Contains("json", StringComparison.Ordinal))
        {
            return $"'{{\"n\": {n}}}'";
        }

        if (t.StartsWith("timestamp", StringComparison.Ordinal) || t.StartsWith("datetime", StringComparison.Ordinal))
        {
            return $"'2024-01-{i:D2} 00:00:00'";
        }

        if (t.StartsWith("date", StringComparison.Ordinal))
        {
            return $"'2024-01-{i:D2}'";
        }

        if (t.StartsWith("time", StringComparison.Ordinal))
        {
            return $"'00:00:{i:D2}'";
        }

        if (t.StartsWith("interval", StringComparison.Ordinal))
        {
            return $"'{n} days'";
        }

        if (t is "inet" or "cidr")
        {
            return $"'10.0.0.{n}'";
        }

        if (t is "bytea")
        {
            return $"'\\x{i:x2}'";
        }

        if (t is "xml")
        {
            return $"'<v n=\"{n}\"/>'";
        }

        if (t is "point")
        {
            return $"'(0,{n})'";
        }

        // text and everything else: short, distinct, within a declared length
        var text = "v" + n;
        if (Length().Match(t) is { Success: true } m && int.TryParse(m.Groups[1].Value, CultureInfo.InvariantCulture, out var max) && max < text.Length)
        {
            text = n.Length <= max ? n : n[..max];
        }

        return Literal(text);
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Parents first: a table comes after the tables its foreign keys reference (cycles and self references ignored).</summary>
    internal static List<TableShape> DependencyOrder(IReadOnlyList<TableShape> tables)
    {
        var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var order = new List<TableShape>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        void Visit(TableShape t)
        {
            if (state.GetValueOrDefault(t.Name) != 0)
            {
                return;
            }

            state[t.Name] = 1;
            foreach (var parent in t.Constraints.Select(c => c.References?.Table).OfType<string>())
            {
                if (parent != t.Name && byName.TryGetValue(parent, out var p))
                {
                    Visit(p);
                }
            }

            state[t.Name] = 2;
            order.Add(t);
        }

        foreach (var t in tables)
        {
            Visit(t);
        }

        return order;
    }

    [GeneratedRegex(@"'((?:[^']|'')*)'")]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"^(tiny|small|medium|big)?int|^integer|^serial|^bigserial|^smallserial|^numeric|^decimal|^real|^double|^float|^money|^number")]
    private static partial Regex NumberType();

    [GeneratedRegex(@"\((\d+)\)")]
    private static partial Regex Length();
}

/// <summary>A table's rows as text.</summary>
/// <param name="Table">The table.</param>
/// <param name="Columns">The columns read.</param>
/// <param name="Key">Positions of the primary-key columns in <paramref name="Columns"/> (empty: no primary key).</param>
/// <param name="Rows">The rows.</param>
internal sealed record TableRows(string Table, IReadOnlyList<string> Columns, IReadOnlyList<int> Key, IReadOnlyList<string?[]> Rows)
{
    /// <summary>What the down lost of these rows (read before up): rows gone after down (by primary key, else by
    /// count) and values set before up that differ after down, counting only what was still there after up (what
    /// the up itself removed, e.g. a contract migration's dropped column, is the up's doing and no down can bring
    /// it back; a value filled in where there was NULL is no loss). Columns that no longer exist after down are the
    /// schema diff's business.</summary>
    public DataLoss? LostIn(TableRows? afterUp, TableRows? afterDown)
    {
        if (Rows.Count == 0 || afterUp is null)
        {
            return null;
        }

        if (Key.Count == 0 || KeyIn(afterUp) is null)
        {
            var kept = Math.Min(Rows.Count, afterUp.Rows.Count);
            var now = afterDown?.Rows.Count ?? 0;
            return now < kept ? new DataLoss(Table, Rows.Count, now, kept - now, 0, []) : null;
        }

        var up = Index(afterUp);
        var down = afterDown is null || KeyIn(afterDown) is null ? new Dictionary<string, string?[]>(StringComparer.Ordinal) : Index(afterDown);
        var missing = 0;
        var values = 0;
        var changed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in Rows)
        {
            var key = string.Join('\u001f', Key.Select(k => row[k]));
            if (!up.TryGetValue(key, out var upRow))
            {
                continue; // the up removed it
            }

            if (!down.TryGetValue(key, out var downRow))
            {
                missing++;
                continue;
            }

            for (var i = 0; i < Columns.Count; i++)
            {
                var u = IndexOf(afterUp.Columns, Columns[i]);
                var d = afterDown is null ? -1 : IndexOf(afterDown.Columns, Columns[i]);
                if (row[i] is not null && u >= 0 && d >= 0 && upRow[u] == row[i] && downRow[d] != row[i])
                {
                    values++;
                    changed.Add(Columns[i]);
                }
            }
        }

        return missing == 0 && values == 0 ? null : new DataLoss(Table, Rows.Count, afterDown?.Rows.Count ?? 0, missing, values, [.. changed]);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private List<int>? KeyIn(TableRows other)
    {
        var positions = Key.Select(k => IndexOf(other.Columns, Columns[k])).ToList();
        return positions.Any(p => p < 0) ? null : positions;
    }

    private Dictionary<string, string?[]> Index(TableRows other)
    {
        var key = KeyIn(other)!;
        var map = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var row in other.Rows)
        {
            map[string.Join('\u001f', key.Select(k => row[k]))] = row;
        }

        return map;
    }
}
