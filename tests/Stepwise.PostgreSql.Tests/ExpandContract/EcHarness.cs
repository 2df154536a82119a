using System.Data.Common;
using Stepwise.Engines;
using Stepwise.Engines.Conformance;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>Runs an expand/contract plan the way the core does (a Transaction step in one transaction, other steps
/// statement by statement, a backfill as one plain UPDATE) and takes catalog snapshots to compare.</summary>
internal static class EcHarness
{
    public static async Task<EcPlan> PlanAsync(TestDatabase db, string id, params EcChange[] changes)
    {
        var engine = await db.ConnectAsync();
        var sql = engine.Ability<IExpandContractSql>();
        Assert.NotNull(sql);
        return await sql.PlanAsync(id, changes, CancellationToken.None);
    }

    /// <summary>An EcStatement as the core makes one: the statement parsed as PostgreSQL.</summary>
    public static EcStatement Statement(string? table, string sql) =>
        new(table, sql, ParsedScript.Parse(new SourceText(sql), SqlDialect.PostgreSql).Statements[0]);

    /// <summary>Runs steps; <paramref name="times"/> 2 runs each step twice in a row (idempotency).</summary>
    public static async Task RunAsync(TestDatabase db, IEnumerable<EcStep> steps, int times = 1)
    {
        await using var connection = await db.OpenAsync();
        foreach (var step in steps)
        {
            for (var i = 0; i < times; i++)
            {
                try
                {
                    await RunStepAsync(connection, step);
                }
                catch (DbException ex)
                {
                    throw new InvalidOperationException($"step '{step.What}' (run {i + 1}) failed: {ex.Message}\n{string.Join(";\n", step.Statements)}", ex);
                }
            }
        }
    }

    private static async Task RunStepAsync(DbConnection connection, EcStep step)
    {
        if (step.Kind == EcStepKind.Transaction)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await RawSql.ExecuteAsync(connection, "SET LOCAL lock_timeout = '5s'");
            foreach (var sql in step.Statements)
            {
                await RawSql.ExecuteAsync(connection, sql);
            }

            await tx.CommitAsync();
            return;
        }

        foreach (var sql in step.Statements)
        {
            await RawSql.ExecuteAsync(connection, sql);
        }
    }

    public static async Task BackfillAsync(TestDatabase db, EcPlan plan)
    {
        foreach (var b in plan.Backfills)
        {
            var table = string.Join('.', b.Table.Split('.').Select(p => "\"" + p + "\""));
            await db.ExecuteAsync($"UPDATE {table} SET {b.Set}" + (b.Where is null ? string.Empty : $" WHERE {b.Where}"));
        }
    }

    /// <summary>The user schemas' catalog as sorted lines (column order ignored): tables, columns (type, nullability,
    /// default), indexes (definition, validity), constraints (definition, validity), triggers, functions, views.</summary>
    public static async Task<string> SnapshotAsync(TestDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%'),
              rel AS (SELECT c.oid, c.oid::regclass::text AS relname, c.relkind FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns))
            SELECT line FROM (
              SELECT 'relation ' || relname || ' ' || relkind::text AS line FROM rel WHERE relkind IN ('r', 'p', 'v', 'S', 'i')
              UNION ALL
              SELECT 'column ' || r.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE ' NULL' END || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
                || CASE WHEN a.attgenerated <> '' THEN ' GENERATED' ELSE '' END || CASE WHEN a.attidentity <> '' THEN ' IDENTITY' ELSE '' END
              FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE r.relkind IN ('r', 'p', 'v') AND a.attnum > 0 AND NOT a.attisdropped
              UNION ALL
              SELECT 'index ' || pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END
              FROM pg_index i JOIN rel r ON r.oid = i.indrelid
              UNION ALL
              SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
              UNION ALL
              SELECT 'function ' || oid::regprocedure::text FROM pg_proc WHERE pronamespace IN (SELECT oid FROM ns)
              UNION ALL
              SELECT 'view ' || relname || ' ' || pg_get_viewdef(oid) FROM rel WHERE relkind = 'v'
              UNION ALL
              SELECT 'sequence owner ' || s.relname || ' ' || coalesce(d.refobjid::regclass::text || '.' || a.attname, '-')
              FROM rel s LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0
              LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid WHERE s.relkind = 'S'
            ) lines ORDER BY line COLLATE "C"
            """;
        return string.Join('\n', (await RawSql.QueryAsync(cmd)).Select(r => (string)r[0]!));
    }

    /// <summary>Every row of the tables, as text, in order (for "abort leaves the data as it was").</summary>
    public static async Task<string> DataAsync(TestDatabase db, params string[] tables)
    {
        var parts = new List<string>();
        foreach (var t in tables)
        {
            parts.Add(t + ": " + await db.ScalarAsync($"SELECT coalesce(string_agg(x::text, ';' ORDER BY x::text), '') FROM {t} AS x"));
        }

        return string.Join('\n', parts);
    }
}

/// <summary>A statement of one release and, for a query, the value it must return (null: it only has to succeed).</summary>
internal sealed record EcProbe(string Sql, string? Expect = null);

/// <summary>One operation's scenario: the table before, the change, the plain SQL for the twin, and the statements
/// of the old and the new release run (in this order, interleaved as listed) while expanded.</summary>
internal sealed record EcScenario(string Id, string[] Setup, EcChange[] Changes, string[] Plain, EcProbe[] Workload, string[] DataTables);
