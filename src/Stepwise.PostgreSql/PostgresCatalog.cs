using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>Read-only catalog questions.</summary>
internal sealed class PostgresCatalog(PostgresSession session) : ICatalog, IUniqueKeyCatalog
{
    /// <summary>Valid, immediate, non-partial unique indexes on plain columns that are all attnotnull; the one with the
    /// fewest key columns, then the fewest bytes (a variable-length column counts 32), then by name.</summary>
    public Task<IReadOnlyList<KeyColumn>> UniqueNotNullKeyAsync(string table, CancellationToken cancellationToken) => session.Run<IReadOnlyList<KeyColumn>>(async c =>
    {
        await using var cmd = new NpgsqlCommand("""
            WITH cand AS (
              SELECT i.indexrelid, i.indrelid, k.attnum, k.ord
                FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid AND i.indimmediate
                 AND i.indpred IS NULL AND i.indexprs IS NULL AND k.ord <= i.indnkeyatts
            ), best AS (
              SELECT c.indexrelid FROM cand c JOIN pg_attribute a ON a.attrelid = c.indrelid AND a.attnum = c.attnum
               GROUP BY c.indexrelid HAVING bool_and(a.attnotnull)
               ORDER BY count(*), sum(CASE WHEN a.attlen > 0 THEN a.attlen ELSE 32 END), min(c.indexrelid::regclass::text)
               LIMIT 1
            )
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
              FROM cand c JOIN best USING (indexrelid) JOIN pg_attribute a ON a.attrelid = c.indrelid AND a.attnum = c.attnum
             ORDER BY c.ord
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new KeyColumn(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    });

    public Task<IReadOnlyList<KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken) => session.Run<IReadOnlyList<KeyColumn>>(async c =>
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = to_regclass($1) AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new KeyColumn(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    });

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken) => session.Run<long?>(async c =>
    {
        await using var cmd = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long n && n >= 0 ? n : null; // -1: never analyzed
    });

    public Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(ForeignHistory history, CancellationToken cancellationToken) => session.Run<IReadOnlyList<string>?>(async c =>
    {
        var sql = new PostgresBackfillSql();
        var qualified = history.PostgresSchema is { } schema ? $"{sql.Quote(schema)}.{sql.Quote(history.Table)}" : sql.Table(history.Table);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", c))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = qualified });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return null;
            }
        }

        await using var cmd = new NpgsqlCommand(history.Select(qualified, sql.Quote, c => c + "::text", false), c);
        return await ForeignHistory.ReadAsync(cmd, cancellationToken).ConfigureAwait(false);
    });
}
