using Npgsql;

namespace Stepwise.PostgreSql.Trace;

/// <summary>A user table or index as pg_class shows it at one moment.</summary>
internal sealed record PostgresRelation(long Oid, string Name, bool IsIndex, long FileNode, string Table);

/// <summary>Catalog reads for the tracer: every user table/index with its storage id, and the tables the current
/// transaction scanned.</summary>
internal static class PostgresRelations
{
    // The transient heap of a rewrite (pg_temp_<oid>) lives only inside the statement's transaction; it is skipped.
    private const string SnapshotSql = """
        SELECT c.oid::bigint,
               CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END,
               c.relkind IN ('i', 'I'),
               c.relfilenode::bigint,
               coalesce(CASE WHEN tn.nspname = current_schema() THEN t.relname ELSE tn.nspname || '.' || t.relname END,
                        CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_index i ON i.indexrelid = c.oid
        LEFT JOIN pg_class t ON t.oid = i.indrelid
        LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
          AND c.relname NOT LIKE 'pg\_temp\_%'
        """;

    // pg_stat_get_xact_numscans: sequential scans started by the current transaction (a rewrite, a validation, an
    // index build all begin one), read before it commits.
    // (the counts may include earlier transactions' scans not yet flushed to shared statistics — PostgreSQL 15
    // flushes at most once a second — so the tracer reads them before and after the statement and compares)
    private const string ScannedSql = """
        SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END,
               pg_stat_get_xact_numscans(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%' AND c.relname NOT LIKE 'pg\_temp\_%'
        """;

    public static async Task<Dictionary<long, PostgresRelation>> SnapshotAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(SnapshotSql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var map = new Dictionary<long, PostgresRelation>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var oid = reader.GetInt64(0);
            map[oid] = new PostgresRelation(oid, reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3), reader.GetString(4));
        }

        return map;
    }

    public static async Task<Dictionary<string, long>> ScanCountsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(ScannedSql, connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Tables whose scan count grew between two readings, by name.</summary>
    public static IReadOnlyList<string> Grew(Dictionary<string, long> before, Dictionary<string, long> after) =>
        [.. after.Where(p => p.Value > before.GetValueOrDefault(p.Key)).Select(p => p.Key).Order(StringComparer.Ordinal)];
}
