using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>
/// Table sizes from the catalog only (pg_class, never a row of user data): the planner's row estimate
/// (reltuples) and pg_total_relation_size (table, TOAST and indexes). A table never analysed (reltuples -1 on
/// PostgreSQL 14+, 0 with relpages 0 before) is estimated from its main fork's size on disk divided by a row
/// width guessed from its column types, so a freshly loaded table is not taken for an empty one.
/// </summary>
internal sealed class PostgresTableSizes(PostgresSession session) : ITableSizes
{
    private const string Query = """
        SELECT CASE WHEN n.nspname = current_schema() THEN c.relname ELSE n.nspname || '.' || c.relname END,
               c.reltuples::float8,
               c.relpages::bigint,
               pg_total_relation_size(c.oid),
               pg_relation_size(c.oid, 'main'),
               (SELECT 24 + coalesce(sum(CASE WHEN a.attlen > 0 THEN a.attlen ELSE 32 END), 0)
                  FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)::bigint
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
        ORDER BY 1
        """;

    public Task<IReadOnlyList<TableSize>> ReadAsync(CancellationToken cancellationToken) => session.Run<IReadOnlyList<TableSize>>(async c =>
    {
        await using var cmd = new NpgsqlCommand(Query, c);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var sizes = new List<TableSize>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var tuples = reader.GetDouble(1);
            var pages = reader.GetInt64(2);
            var total = reader.GetInt64(3);
            var main = reader.GetInt64(4);
            var width = Math.Max(1, reader.GetInt64(5));
            sizes.Add(new TableSize(reader.GetString(0), Rows(tuples, pages, main, width), total));
        }

        return sizes;
    });

    /// <summary>reltuples when the table was analysed; otherwise its size on disk over a guessed row width.</summary>
    internal static long Rows(double tuples, long pages, long mainBytes, long rowWidth)
    {
        var analysed = tuples > 0 || (tuples == 0 && pages > 0);
        return analysed ? (long)Math.Round(tuples) : mainBytes / rowWidth;
    }
}
