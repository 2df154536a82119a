using Npgsql;
using NpgsqlTypes;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>The journal table, created and upgraded from <see cref="JournalSchema"/>.</summary>
internal sealed class PostgresJournal(PostgresSession session) : IJournalStore
{
    private const string Table = JournalSchema.Table;

    private static string SqlType(JournalColumn c) => c.Type switch
    {
        JournalColumnType.Integer => "integer",
        JournalColumnType.BigInt => "bigint",
        JournalColumnType.Timestamp => "timestamptz",
        _ => "text",
    };

    private static string DefaultSql(JournalColumn c) => c.Default switch
    {
        JournalDefault.Now => "now()",
        JournalDefault.Zero => "0",
        JournalDefault.Empty => "''",
        _ => "NULL",
    };

    private static string Definition(JournalColumn c, bool key) =>
        $"{c.Name} {SqlType(c)}{(key ? " PRIMARY KEY" : c.Nullable ? string.Empty : " NOT NULL")}{(c.Default == JournalDefault.None ? string.Empty : " DEFAULT " + DefaultSql(c))}";

    private static readonly string CreateSql = $"CREATE TABLE IF NOT EXISTS {Table} (\n  " + string.Join(",\n  ", JournalSchema.Columns.Select((c, i) => Definition(c, i == 0))) + "\n)";

    private static readonly string UpsertSql = BuildUpsert();

    private const string DeleteSql = $"DELETE FROM {Table} WHERE version = $1";

    private static string BuildUpsert()
    {
        var values = new List<string>();
        var n = 0;
        foreach (var c in JournalSchema.Columns)
        {
            values.Add(c.Type == JournalColumnType.Timestamp ? "now()" : "$" + ++n);
        }

        var updates = JournalSchema.Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}");
        return $"INSERT INTO {Table} ({JournalSchema.ColumnList}) VALUES ({string.Join(", ", values)}) ON CONFLICT (version) DO UPDATE SET {string.Join(", ", updates)}";
    }

    public Task<int> EnsureAsync(CancellationToken cancellationToken) => session.Run(async c =>
    {
        var existing = await ColumnsAsync(c, cancellationToken).ConfigureAwait(false);
        var found = JournalSchema.VersionOf(existing);
        if (existing.Count == 0)
        {
            await using var create = new NpgsqlCommand(CreateSql, c);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        // a journal written by an earlier release: add what it lacks; its rows get the defaults
        foreach (var column in JournalSchema.Columns.Where(col => !existing.Contains(col.Name)))
        {
            await using var add = new NpgsqlCommand($"ALTER TABLE {Table} ADD COLUMN IF NOT EXISTS {Definition(column, false)}", c);
            await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return found;
    });

    private static async Task<HashSet<string>> ColumnsAsync(NpgsqlConnection c, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"SELECT attname FROM pg_attribute WHERE attrelid = to_regclass('{Table}') AND attnum > 0 AND NOT attisdropped", c);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }

    public Task<IReadOnlyList<JournalEntry>> ReadAsync(CancellationToken cancellationToken) => session.Run<IReadOnlyList<JournalEntry>>(async c =>
    {
        var existing = await ColumnsAsync(c, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            return [];
        }

        // columns a not-yet-upgraded journal lacks read as their defaults (status and dry runs do not upgrade)
        var select = string.Join(", ", JournalSchema.Columns.Select(col => existing.Contains(col.Name) ? col.Name : DefaultSql(col)));
        await using var cmd = new NpgsqlCommand($"SELECT {select} FROM {Table} ORDER BY version", c);
        return await JournalSchema.ReadAllAsync(cmd, (r, i) => new DateTimeOffset(r.GetDateTime(i), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
    });

    public Task WriteAsync(JournalEntry entry, CancellationToken cancellationToken) => session.Run(async c =>
    {
        await using var cmd = new NpgsqlCommand(UpsertSql, c);
        AddParameters(cmd.Parameters, entry);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task DeleteAsync(string version, CancellationToken cancellationToken) => session.Run(async c =>
    {
        await using var cmd = new NpgsqlCommand(DeleteSql, c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    /// <summary>The journal change of a transactional unit, as the last command before COMMIT in its batch.</summary>
    public static NpgsqlBatchCommand BatchCommand(JournalChange journal)
    {
        if (journal.Write is { } entry)
        {
            var upsert = new NpgsqlBatchCommand(UpsertSql);
            AddParameters(upsert.Parameters, entry);
            return upsert;
        }

        var delete = new NpgsqlBatchCommand(DeleteSql);
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = journal.DeleteVersion! });
        return delete;
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, JournalEntry entry)
    {
        foreach (var c in JournalSchema.Columns.Where(col => col.Type != JournalColumnType.Timestamp))
        {
            parameters.Add(new NpgsqlParameter
            {
                Value = c.Get(entry) ?? DBNull.Value,
                NpgsqlDbType = c.Type switch
                {
                    JournalColumnType.Integer => NpgsqlDbType.Integer,
                    JournalColumnType.BigInt => NpgsqlDbType.Bigint,
                    _ => NpgsqlDbType.Text,
                },
            });
        }
    }
}
