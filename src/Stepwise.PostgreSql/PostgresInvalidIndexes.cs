using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>The optional ability to clean up after an interrupted CREATE INDEX CONCURRENTLY.</summary>
internal sealed class PostgresInvalidIndexes(PostgresSession session, IStatementExecutor executor) : IInvalidIndexCleanup
{
    public Task<IReadOnlyList<string>> FindInvalidIndexesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) => session.Run<IReadOnlyList<string>>(async c =>
    {
        // one name at a time: the slim data source has no array support (a string[] parameter throws)
        var list = new List<string>();
        foreach (var name in names)
        {
            await using var cmd = new NpgsqlCommand("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid AND c.relname = $1", c);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(reader.GetString(0));
            }
        }

        return list;
    });

    public Task DropInvalidIndexAsync(string qualifiedName, CancellationToken cancellationToken) =>
        executor.ExecuteAsync($"DROP INDEX CONCURRENTLY IF EXISTS {qualifiedName}", new ExecutionLimits(TimeSpan.FromSeconds(30), TimeSpan.Zero), cancellationToken);
}
