using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql.Schema;

/// <summary>The schema from pg_catalog: every table, view and enum of the non-system schemas (extension members
/// left out), named <c>name</c> in the current schema and <c>schema.name</c> elsewhere. Types are
/// <c>format_type</c>'s, defaults, indexes, constraints and triggers PostgreSQL's own deparsed text, so the same
/// DDL gives the same snapshot on any database.</summary>
internal sealed class PostgresSchemaReader(PostgresSession session) : ISchemaReader
{
    private const string Relations = """
        SELECT c.oid::bigint, CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END, c.relkind IN ('v', 'm')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        """;

    private const string Columns = """
        SELECT a.attrelid::bigint, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               CASE WHEN a.attgenerated = 's' THEN NULL ELSE pg_get_expr(d.adbin, d.adrelid) END,
               CASE a.attidentity WHEN 'a' THEN 'identity always' WHEN 'd' THEN 'identity by default'
                    ELSE CASE WHEN a.attgenerated = 's' THEN 'generated always as (' || pg_get_expr(d.adbin, d.adrelid) || ') stored' END END
        FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = ANY ($1) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attrelid, a.attnum
        """;

    private const string Indexes = """
        SELECT i.indrelid::bigint, ic.relname, i.indisunique, pg_get_indexdef(i.indexrelid),
               (SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), chr(31) ORDER BY k) FROM generate_series(1, i.indnkeyatts) k)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = ANY ($1)
        ORDER BY i.indrelid, ic.relname
        """;

    private const string Constraints = """
        SELECT con.conrelid::bigint, con.conname, con.contype::text, pg_get_constraintdef(con.oid),
               (SELECT string_agg(a.attname, chr(31) ORDER BY k.o) FROM unnest(con.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n),
               CASE WHEN con.contype = 'f' THEN (SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END
                                                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = con.confrelid) END,
               (SELECT string_agg(a.attname, chr(31) ORDER BY k.o) FROM unnest(con.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n)
        FROM pg_constraint con
        WHERE con.conrelid = ANY ($1) AND con.contype IN ('p', 'u', 'c', 'f', 'x')
        ORDER BY con.conrelid, con.conname
        """;

    private const string Triggers = """
        SELECT t.tgrelid::bigint, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t WHERE t.tgrelid = ANY ($1) AND NOT t.tgisinternal
        ORDER BY t.tgrelid, t.tgname
        """;

    private const string Enums = """
        SELECT CASE WHEN n.nspname = current_schema() THEN t.typname ELSE n.nspname || '.' || t.typname END, e.enumlabel
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
        ORDER BY 1, e.enumsortorder
        """;

    public Task<SchemaSnapshot> ReadAsync(CancellationToken cancellationToken) => session.Run(async c =>
    {
        var relations = new List<(long Oid, string Name, bool View)>();
        await using (var cmd = new NpgsqlCommand(Relations, c))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(1);
                if (!SchemaExclusions.IsExcluded(name))
                {
                    relations.Add((reader.GetInt64(0), name, reader.GetBoolean(2)));
                }
            }
        }

        var oids = relations.Select(r => r.Oid).ToArray();
        var columns = await ByRelation(c, Columns, oids, r => new ColumnShape(r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)), cancellationToken).ConfigureAwait(false);
        var indexes = await ByRelation(c, Indexes, oids, r => new IndexShape(r.GetString(1), List(r, 4), r.GetBoolean(2), r.GetString(3)), cancellationToken).ConfigureAwait(false);
        var constraints = await ByRelation(c, Constraints, oids, r => new ConstraintShape(
            r.GetString(1),
            r.GetString(2) switch { "p" => ConstraintShapeKind.PrimaryKey, "u" => ConstraintShapeKind.Unique, "c" => ConstraintShapeKind.Check, "f" => ConstraintShapeKind.ForeignKey, _ => ConstraintShapeKind.Other },
            r.GetString(2) == "c" ? [] : List(r, 4),
            r.GetString(3),
            r.IsDBNull(5) ? null : new ForeignKeyTarget(r.GetString(5), List(r, 6))), cancellationToken).ConfigureAwait(false);
        var triggers = await ByRelation(c, Triggers, oids, r => new TriggerShape(r.GetString(1), r.GetString(2)), cancellationToken).ConfigureAwait(false);

        var tables = relations
            .Select(r => new TableShape(
                r.Name,
                Of(columns, r.Oid),
                r.View ? [] : Of(indexes, r.Oid),
                r.View ? [] : Of(constraints, r.Oid),
                Of(triggers, r.Oid).Where(t => !SchemaExclusions.IsExcluded(t.Name)).ToList(),
                r.View))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToList();

        var enums = new List<EnumShape>();
        await using (var cmd = new NpgsqlCommand(Enums, c))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            string? current = null;
            var values = new List<string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (name != current && current is not null)
                {
                    enums.Add(new EnumShape(current, values));
                    values = [];
                }

                current = name;
                values.Add(reader.GetString(1));
            }

            if (current is not null)
            {
                enums.Add(new EnumShape(current, values));
            }
        }

        return new SchemaSnapshot(tables, enums.OrderBy(e => e.Name, StringComparer.Ordinal).ToList());
    });

    private static string[] List(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? [] : reader.GetString(ordinal).Split('\u001f');

    private static IReadOnlyList<T> Of<T>(Dictionary<long, List<T>> map, long oid) => map.TryGetValue(oid, out var list) ? list : [];

    private static async Task<Dictionary<long, List<T>>> ByRelation<T>(NpgsqlConnection c, string sql, long[] oids, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var map = new Dictionary<long, List<T>>();
        await using var cmd = new NpgsqlCommand(sql.Replace("ANY ($1)", "ANY ($1::text::oid[])", StringComparison.Ordinal), c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "{" + string.Join(",", oids.Select(o => o.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "}" });
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var oid = reader.GetInt64(0);
            if (!map.TryGetValue(oid, out var list))
            {
                map[oid] = list = [];
            }

            list.Add(read(reader));
        }

        return map;
    }
}
