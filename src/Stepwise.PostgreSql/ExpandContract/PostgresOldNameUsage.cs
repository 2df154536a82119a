using Npgsql;
using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Sql.Lexing;

namespace Stepwise.PostgreSql.ExpandContract;

/// <summary>
/// Tells from pg_stat_statements whether the old release still runs. pg_stat_statements counts calls but keeps no
/// time of the last call (before PostgreSQL 17), so each look is recorded in <c>stepwise_query_watch</c> (queryid,
/// calls, seen_at): a statement that uses an old name counts as recent unless a look at least a quiet period old saw
/// the same number of calls. The first look therefore reports every matching statement (no proof of quiet yet);
/// a later look, a quiet period on, clears those that stopped.
/// </summary>
internal sealed class PostgresOldNameUsage(PostgresSession session) : IOldNameUsage
{
    public const string WatchTable = "stepwise_query_watch";

    private static readonly HashSet<string> Dml = new(StringComparer.OrdinalIgnoreCase) { "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "TABLE", "VALUES", "COPY" };

    public Task<string?> UnavailableBecauseAsync(CancellationToken cancellationToken) => session.Run<string?>(async c =>
    {
        await using (var cmd = new NpgsqlCommand("SELECT count(*)::int FROM pg_catalog.pg_extension WHERE extname = 'pg_stat_statements'", c))
        {
            if ((int)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
            {
                return "the pg_stat_statements extension is not installed in this database (CREATE EXTENSION pg_stat_statements; the server also needs shared_preload_libraries = 'pg_stat_statements')";
            }
        }

        try
        {
            await using var probe = new NpgsqlCommand("SELECT count(*)::int FROM (SELECT 1 FROM pg_stat_statements LIMIT 1) s", c);
            await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);

            // without pg_read_all_stats, other users' statements show as "<insufficient privilege>": the application's
            // own queries (under its own user) would be invisible, and "no use seen" would be a false all-clear
            await using var privileged = new NpgsqlCommand("SELECT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) OR pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')", c);
            if (await privileged.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return "this user may not read other users' statements in pg_stat_statements (GRANT pg_read_all_stats TO the migration user)";
            }

            return null;
        }
        catch (PostgresException ex)
        {
            return $"pg_stat_statements cannot be read: {ex.MessageText}";
        }
    });

    public Task<IReadOnlyList<EcOldNameUse>> RecentUsesAsync(IReadOnlyList<EcOldName> names, TimeSpan quietPeriod, CancellationToken cancellationToken) => session.Run<IReadOnlyList<EcOldNameUse>>(async c =>
    {
        ArgumentNullException.ThrowIfNull(names);
        await ExecuteAsync(c, $"CREATE TABLE IF NOT EXISTS {WatchTable} (queryid bigint NOT NULL, calls bigint NOT NULL, seen_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (queryid, seen_at))", cancellationToken).ConfigureAwait(false);
        var statements = new List<(long Id, string Query, long Calls)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT queryid, min(query), sum(calls)::bigint FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database()) AND queryid IS NOT NULL
            GROUP BY queryid
            """, c))
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var query = reader.GetString(1);
                if (UsesAny(query, names))
                {
                    statements.Add((reader.GetInt64(0), query, reader.GetInt64(2)));
                }
            }
        }

        var recent = new List<EcOldNameUse>();
        var quietSeconds = (long)quietPeriod.TotalSeconds;
        foreach (var (id, query, calls) in statements)
        {
            // the newest look at least a quiet period old: the same count there means no call since
            await using var cmd = new NpgsqlCommand($"SELECT calls FROM {WatchTable} WHERE queryid = $1 AND seen_at <= now() - make_interval(secs => $2) ORDER BY seen_at DESC LIMIT 1", c);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = quietSeconds });
            var before = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (before is not long old || old != calls)
            {
                recent.Add(new EcOldNameUse(query, calls, null));
            }

            await using var insert = new NpgsqlCommand($"INSERT INTO {WatchTable} (queryid, calls) VALUES ($1, $2) ON CONFLICT DO NOTHING", c);
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = calls });
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // keep a week of looks, and always the newest older one per statement
        await ExecuteAsync(c, $"DELETE FROM {WatchTable} w WHERE seen_at < now() - interval '7 days' AND EXISTS (SELECT 1 FROM {WatchTable} n WHERE n.queryid = w.queryid AND n.seen_at > w.seen_at AND n.seen_at < now() - interval '7 days')", cancellationToken).ConfigureAwait(false);
        return recent;
    });

    /// <summary>Whether a normalised statement uses one of the names: the table's name as an identifier token, and
    /// for a column also the column's (lexer tokens, never text search). Stepwise's own statements are left out.</summary>
    internal static bool UsesAny(string query, IReadOnlyList<EcOldName> names)
    {
        var identifiers = new HashSet<string>(StringComparer.Ordinal);
        var tokens = SqlLexer.Tokenize(query, SqlDialect.PostgreSql);
        var first = tokens.FirstOrDefault(t => !t.IsTrivia);
        if (first.Length == 0 || !Dml.Contains(query.Substring(first.Start, first.Length)))
        {
            return false; // the application's statements, not DDL (the migration's own, or a deploy's)
        }

        foreach (var token in tokens)
        {
            if (EcSql.IdentifierName(query, token) is { } name)
            {
                identifiers.Add(name);
            }
        }

        if (identifiers.Any(i => i.StartsWith("_sw_", StringComparison.Ordinal) || i.StartsWith("stepwise_", StringComparison.Ordinal) || i.StartsWith("pg_", StringComparison.Ordinal)))
        {
            return false;
        }

        return names.Any(n =>
        {
            var table = n.Table.Contains('.', StringComparison.Ordinal) ? n.Table[(n.Table.LastIndexOf('.') + 1)..] : n.Table;
            return identifiers.Contains(table) && (n.Column is null || identifiers.Contains(n.Column));
        });
    }

    private static async Task ExecuteAsync(NpgsqlConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
