using System.Globalization;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Migrations.Trace;

/// <summary>One table's seeding statement.</summary>
/// <param name="Table">The table, unquoted.</param>
/// <param name="Sql">One INSERT … SELECT that generates the rows on the server.</param>
public sealed record SeedStatement(string Table, string Sql);

/// <summary>
/// Generates rows for every table of a <see cref="SchemaSnapshot"/>, on the server itself (PostgreSQL:
/// <c>generate_series</c>; MySQL/MariaDB: a cross join of digits), one INSERT … SELECT per table, parents before
/// children. Row <c>i</c> (1…N) gets values that are a one-to-one function of <c>i</c> for numbers, text, dates and
/// uuids, so primary keys and unique columns do not collide, and a foreign-key column takes the value its referenced
/// column has in row <c>i</c>, which exists because every table gets the same N rows. Identity and auto-increment
/// columns, and columns with a default that are not keys, are left to the server; booleans and enums take the first
/// value that fits. CHECK constraints are not read: a table whose insert fails is reported by the caller.
/// </summary>
public static class Seeder
{
    /// <summary>The statements, in an order that inserts referenced tables first (a cycle is broken where it is found:
    /// its nullable foreign-key columns are left NULL).</summary>
    public static IReadOnlyList<SeedStatement> Plan(SchemaSnapshot schema, SqlDialect dialect, int rows, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (dialect is not (SqlDialect.PostgreSql or SqlDialect.MySql))
        {
            throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "seeding is for PostgreSQL and MySQL/MariaDB");
        }

        var tables = schema.Tables.Where(t => !t.IsView && (include?.Invoke(t.Name) ?? true)).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var order = new List<TableShape>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var broken = new HashSet<(string Table, string Constraint)>();
        void Visit(TableShape t)
        {
            state[t.Name] = 1;
            foreach (var fk in t.Constraints.Where(c => c.Kind == ConstraintShapeKind.ForeignKey && c.References is not null))
            {
                var parent = fk.References!.Table;
                if (parent == t.Name || !tables.TryGetValue(parent, out var p))
                {
                    continue;
                }

                if (state.GetValueOrDefault(parent) == 1)
                {
                    broken.Add((t.Name, fk.Name));
                }
                else if (state.GetValueOrDefault(parent) == 0)
                {
                    Visit(p);
                }
            }

            state[t.Name] = 2;
            order.Add(t);
        }

        foreach (var t in tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(t.Name) == 0)
            {
                Visit(t);
            }
        }

        var enums = schema.Enums.ToDictionary(e => e.Name, e => e.Values, StringComparer.Ordinal);
        return [.. order.Select(t => new SeedStatement(t.Name, Insert(t, tables, enums, broken, dialect, rows)))];
    }

    private static string Insert(TableShape table, Dictionary<string, TableShape> tables, Dictionary<string, IReadOnlyList<string>> enums, HashSet<(string, string)> broken, SqlDialect dialect, int rows)
    {
        var keyColumns = table.Constraints
            .Where(c => c.Kind is ConstraintShapeKind.PrimaryKey or ConstraintShapeKind.Unique or ConstraintShapeKind.ForeignKey)
            .SelectMany(c => c.Columns)
            .Concat(table.Indexes.Where(i => i.Unique).SelectMany(i => i.Columns))
            .ToHashSet(StringComparer.Ordinal);
        var columns = new List<string>();
        var values = new List<string>();
        foreach (var column in table.Columns)
        {
            var generated = column.Identity is not null
                || (column.Default is { } d && (d.Contains("nextval(", StringComparison.OrdinalIgnoreCase) || d.Contains("auto_increment", StringComparison.OrdinalIgnoreCase)));
            if (generated || (column.Default is not null && !keyColumns.Contains(column.Name)))
            {
                continue;
            }

            var fk = table.Constraints.FirstOrDefault(c => c.Kind == ConstraintShapeKind.ForeignKey && c.References is not null && c.Columns.Contains(column.Name, StringComparer.Ordinal));
            string expression;
            if (fk is not null && broken.Contains((table.Name, fk.Name)))
            {
                if (!column.Nullable)
                {
                    continue;
                }

                expression = "NULL";
            }
            else if (fk is not null && tables.TryGetValue(fk.References!.Table, out var parent))
            {
                var referenced = fk.References.Columns[fk.Columns.ToList().IndexOf(column.Name)];
                var parentColumn = parent.Columns.FirstOrDefault(c => c.Name == referenced) ?? column;
                expression = Value(parentColumn.Type, enums, dialect);
            }
            else
            {
                expression = Value(column.Type, enums, dialect);
            }

            columns.Add(Quote(column.Name, dialect));
            values.Add(expression);
        }

        var name = string.Join('.', table.Name.Split('.').Select(p => Quote(p, dialect)));
        var n = rows.ToString(CultureInfo.InvariantCulture);
        var source = dialect == SqlDialect.PostgreSql ? $"generate_series(1, {n}) AS g(i)" : $"({Digits(rows)}) AS g";
        var where = dialect == SqlDialect.PostgreSql ? string.Empty : $" WHERE i <= {n}";
        return columns.Count == 0
            ? dialect == SqlDialect.PostgreSql ? $"INSERT INTO {name} SELECT FROM {source}" : $"INSERT INTO {name} () SELECT FROM DUAL WHERE FALSE"
            : $"INSERT INTO {name} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} FROM {source}{where}";
    }

    /// <summary>MySQL/MariaDB: i = 1…10^k from k cross-joined digit tables (no recursion limit, no sequence engine).</summary>
    private static string Digits(int rows)
    {
        var k = Math.Max(1, (int)Math.Ceiling(Math.Log10(Math.Max(rows, 2))));
        const string digit = "SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9";
        var terms = string.Join(" + ", Enumerable.Range(0, k).Select(j => $"d{j}.d * {Math.Pow(10, j).ToString(CultureInfo.InvariantCulture)}"));
        var joins = string.Join(" CROSS JOIN ", Enumerable.Range(0, k).Select(j => $"({digit}) AS d{j}"));
        return $"SELECT {terms} + 1 AS i FROM {joins}";
    }

    /// <summary>A SQL expression of <c>i</c> for a column of <paramref name="type"/>.</summary>
    internal static string Value(string type, Dictionary<string, IReadOnlyList<string>> enums, SqlDialect dialect)
    {
        var t = type.Trim().ToLowerInvariant();
        var bare = t.Split('(')[0].Trim();
        var length = t.Contains('(', StringComparison.Ordinal) && int.TryParse(t[(t.IndexOf('(', StringComparison.Ordinal) + 1)..].Split(',', ')')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : 0;
        var pg = dialect == SqlDialect.PostgreSql;
        if (t.EndsWith("[]", StringComparison.Ordinal))
        {
            return "'{}'";
        }

        if (enums.TryGetValue(type, out var values) && values.Count > 0)
        {
            return Literal(values[0]);
        }

        return bare switch
        {
            "smallint" or "int2" => pg ? "(i % 32000)::smallint" : "i % 32000",
            "tinyint" when length == 1 => "i % 2",
            "tinyint" => "i % 100",
            "integer" or "int" or "int4" or "mediumint" or "bigint" or "int8" or "serial" or "bigserial" => "i",
            "numeric" or "decimal" or "real" or "double precision" or "double" or "float" or "float4" or "float8" or "money" => "i",
            "boolean" or "bool" => pg ? "(i % 2 = 0)" : "i % 2",
            "date" => pg ? "DATE '2000-01-01' + i" : "DATE_ADD('2000-01-01', INTERVAL i DAY)",
            "timestamp without time zone" or "timestamp with time zone" or "timestamp" or "timestamptz" or "datetime" =>
                pg ? "TIMESTAMP '2000-01-01' + i * INTERVAL '1 second'" : "DATE_ADD('2000-01-01', INTERVAL i SECOND)",
            "time without time zone" or "time" => pg ? "TIME '00:00' + (i % 86400) * INTERVAL '1 second'" : "SEC_TO_TIME(i % 86400)",
            "uuid" => "md5(i::text)::uuid",
            "json" or "jsonb" => pg ? "'{}'" : "'{}'",
            "bytea" => "decode(md5(i::text), 'hex')",
            "binary" or "varbinary" or "blob" or "tinyblob" or "mediumblob" or "longblob" => length is > 0 and < 16 ? "UNHEX(LPAD(HEX(i), 2, '0'))" : "UNHEX(MD5(i))",
            "inet" or "cidr" => "('10.0.0.0'::inet + i)" + (bare == "cidr" ? "::cidr" : string.Empty),
            "enum" => Literal(EnumFirst(type)),
            "set" => "''",
            "char" or "character" or "bpchar" when length == 36 && !pg => "UUID()",
            _ when bare.Contains("char", StringComparison.Ordinal) || bare.Contains("text", StringComparison.Ordinal) =>
                length > 0 ? (pg ? $"left('v' || i, {length})" : $"LEFT(CONCAT('v', i), {length})") : (pg ? "'v' || i" : "CONCAT('v', i)"),
            _ => pg ? $"NULL::{type}" : "NULL",
        };
    }

    private static string EnumFirst(string type)
    {
        var start = type.IndexOf('\'', StringComparison.Ordinal);
        var end = start < 0 ? -1 : type.IndexOf('\'', start + 1);
        return end > start ? type[(start + 1)..end] : string.Empty;
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Quote(string name, SqlDialect dialect) => dialect == SqlDialect.MySql
        ? "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`"
        : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
