using System.Globalization;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql.ExpandContract;

/// <summary>A table as the catalog describes it.</summary>
internal sealed record EcTable(long Oid, string Schema, string Name, char Kind, IReadOnlyList<EcColumn> Columns)
{
    /// <summary>schema.name, quoted.</summary>
    public string Qualified => EcSql.Q(Schema) + "." + EcSql.Q(Name);

    public EcColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    public string Qualify(string relation) => EcSql.Q(Schema) + "." + EcSql.Q(relation);
}

internal sealed record EcColumn(string Name, int Number, string Type, bool NotNull, string? Default, bool Generated, bool Identity);

/// <summary>An index that contains a column (key, INCLUDE, expression or predicate).</summary>
internal sealed record EcIndex(string Name, string Definition, bool Valid, string? Constraint, char ConstraintKind);

/// <summary>A constraint that involves a column (on its table, or a foreign key of another table referencing it).</summary>
internal sealed record EcConstraint(string Name, char Kind, string Definition, bool Validated, int Columns, bool OwnTable, string Table);

/// <summary>Catalog reads for planning (one query per question, literal oids and numbers only, text parameters).</summary>
internal sealed class EcCatalog(NpgsqlConnection connection)
{
    public async Task<EcTable?> TableAsync(string table, CancellationToken ct)
    {
        var rows = await QueryAsync($"""
            SELECT c.oid::bigint::text, n.nspname, c.relname, c.relkind::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass($1)
            """, [Key(table)], ct).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var oid = long.Parse(rows[0][0]!, CultureInfo.InvariantCulture);
        var columns = await QueryAsync($"""
            SELECT a.attname, a.attnum::text, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, pg_get_expr(d.adbin, d.adrelid), a.attgenerated::text, a.attidentity::text
            FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = {oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [], ct).ConfigureAwait(false);
        return new EcTable(oid, rows[0][1]!, rows[0][2]!, rows[0][3]![0], [.. columns.Select(r => new EcColumn(
            r[0]!, int.Parse(r[1]!, CultureInfo.InvariantCulture), r[2]!, r[3] == "true", r[4], !string.IsNullOrEmpty(r[5]), !string.IsNullOrEmpty(r[6])))]);
    }

    public async Task<IReadOnlyList<EcIndex>> IndexesAsync(EcTable table, EcColumn column, CancellationToken ct) =>
        [.. (await QueryAsync($"""
            SELECT ic.relname, pg_get_indexdef(i.indexrelid), i.indisvalid::text, con.conname, con.contype::text
            FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
            WHERE i.indrelid = {table.Oid} AND ({column.Number} = ANY (i.indkey::int2[]) OR i.indexrelid IN (
              SELECT objid FROM pg_catalog.pg_depend WHERE classid = 'pg_class'::regclass AND refclassid = 'pg_class'::regclass
              AND refobjid = {table.Oid} AND refobjsubid = {column.Number}))
            ORDER BY ic.relname
            """, [], ct).ConfigureAwait(false)).Select(r => new EcIndex(r[0]!, r[1]!, r[2] == "true", r[3], r[4] is { Length: > 0 } k ? k[0] : ' '))];

    public async Task<IReadOnlyList<EcConstraint>> ConstraintsAsync(EcTable table, EcColumn column, CancellationToken ct) =>
        [.. (await QueryAsync($"""
            SELECT conname, contype::text, pg_get_constraintdef(oid), convalidated::text, cardinality(conkey)::text, (conrelid = {table.Oid})::text, conrelid::regclass::text
            FROM pg_catalog.pg_constraint
            WHERE (conrelid = {table.Oid} AND {column.Number} = ANY (conkey)) OR (confrelid = {table.Oid} AND {column.Number} = ANY (confkey))
            ORDER BY conname
            """, [], ct).ConfigureAwait(false)).Select(r => new EcConstraint(r[0]!, r[1]![0], r[2]!, r[3] == "true", int.Parse(r[4] ?? "0", CultureInfo.InvariantCulture), r[5] == "true", r[6]!))];

    /// <summary>Foreign keys of other tables that reference the table.</summary>
    public async Task<IReadOnlyList<string>> ReferencingTablesAsync(EcTable table, CancellationToken ct) =>
        [.. (await QueryAsync($"SELECT DISTINCT conrelid::regclass::text FROM pg_catalog.pg_constraint WHERE contype = 'f' AND confrelid = {table.Oid} AND conrelid <> {table.Oid}", [], ct).ConfigureAwait(false)).Select(r => r[0]!)];

    /// <summary>Views (and materialized views, rules) that use the column; column null: the table.</summary>
    public async Task<IReadOnlyList<string>> ViewsAsync(EcTable table, EcColumn? column, CancellationToken ct) =>
        [.. (await QueryAsync($"""
            SELECT DISTINCT v.oid::regclass::text FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
            WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = {table.Oid}
              {(column is null ? string.Empty : $"AND d.refobjsubid = {column.Number}")} AND v.oid <> {table.Oid}
            """, [], ct).ConfigureAwait(false)).Select(r => r[0]!)];

    /// <summary>Sequences owned by the column (serial): contract hands them to the column that replaces it.</summary>
    public async Task<IReadOnlyList<string>> OwnedSequencesAsync(EcTable table, EcColumn column, CancellationToken ct) =>
        [.. (await QueryAsync($"""
            SELECT s.oid::regclass::text FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
            WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.refobjid = {table.Oid} AND d.refobjsubid = {column.Number} AND d.deptype = 'a'
            """, [], ct).ConfigureAwait(false)).Select(r => r[0]!)];

    private async Task<List<string?[]>> QueryAsync(string sql, IReadOnlyList<string> parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = p });
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A key-form table name (schema.name or name, unquoted) quoted for to_regclass.</summary>
    public static string Key(string table) => string.Join('.', table.Split('.').Select(p => p.Length > 1 && p[0] == '"' ? p : EcSql.Q(p)));
}
