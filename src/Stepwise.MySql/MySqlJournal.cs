using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>The journal table, created and upgraded from <see cref="JournalSchema"/>.</summary>
internal sealed class MySqlJournal(MySqlSession session) : IJournalStore
{
    private const string Table = JournalSchema.Table;

    private static string SqlType(JournalColumn c, bool key) => c.Type switch
    {
        JournalColumnType.Integer => "INT",
        JournalColumnType.BigInt => "BIGINT",
        JournalColumnType.Timestamp => "DATETIME(6)",
        _ when key => "VARCHAR(191)", // utf8mb4 keys fit InnoDB's 767-byte index prefix
        _ => c.Nullable ? "MEDIUMTEXT" : "VARCHAR(500)",
    };

    private static string DefaultSql(JournalColumn c) => c.Default switch
    {
        JournalDefault.Now => "CURRENT_TIMESTAMP(6)",
        JournalDefault.Zero => "0",
        JournalDefault.Empty => "''",
        _ => "NULL",
    };

    private static string Definition(JournalColumn c, bool key) =>
        $"{c.Name} {SqlType(c, key)} {(key ? "NOT NULL PRIMARY KEY" : c.Nullable ? "NULL" : "NOT NULL")}{(c.Default == JournalDefault.None ? string.Empty : " DEFAULT " + DefaultSql(c))}";

    private static readonly string CreateSql = $"CREATE TABLE IF NOT EXISTS {Table} (\n  " + string.Join(",\n  ", JournalSchema.Columns.Select((c, i) => Definition(c, i == 0))) + "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    private static readonly string UpsertSql =
        $"INSERT INTO {Table} ({JournalSchema.ColumnList}) VALUES ({string.Join(", ", JournalSchema.Columns.Select((c, i) => c.Type == JournalColumnType.Timestamp ? "UTC_TIMESTAMP(6)" : "@p" + i))}) "
        + $"ON DUPLICATE KEY UPDATE {string.Join(", ", JournalSchema.Columns.Skip(1).Select(c => $"{c.Name} = VALUES({c.Name})"))}";

    public Task<int> EnsureAsync(CancellationToken cancellationToken) => session.Run(async c =>
    {
        var existing = await ColumnsAsync(c, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            await using var create = new MySqlCommand(CreateSql, c);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        // a journal written by an earlier release: add what it lacks; its rows get the defaults
        foreach (var column in JournalSchema.Columns.Where(col => !existing.Contains(col.Name)))
        {
            await using var add = new MySqlCommand($"ALTER TABLE {Table} ADD COLUMN {Definition(column, false)}", c);
            await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return JournalSchema.VersionOf(existing);
    });

    private static async Task<HashSet<string>> ColumnsAsync(MySqlConnection c, CancellationToken ct)
    {
        await using var cmd = new MySqlCommand($"SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '{Table}'", c);
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

        var select = string.Join(", ", JournalSchema.Columns.Select(col => existing.Contains(col.Name) ? col.Name : DefaultSql(col)));
        await using var cmd = new MySqlCommand($"SELECT {select} FROM {Table} ORDER BY version", c);
        return await JournalSchema.ReadAllAsync(cmd, (r, i) => new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc)), cancellationToken).ConfigureAwait(false);
    });

    /// <summary>The command for a journal change, on the given transaction (or none).</summary>
    public static MySqlCommand Command(MySqlConnection connection, JournalChange change, MySqlTransaction? tx)
    {
        var cmd = new MySqlCommand { Connection = connection, Transaction = tx };
        if (change.Write is not { } e)
        {
            cmd.CommandText = $"DELETE FROM {Table} WHERE version = @v";
            cmd.Parameters.AddWithValue("@v", change.DeleteVersion);
            return cmd;
        }

        cmd.CommandText = UpsertSql;
        JournalSchema.AddParameters(cmd, e, '@');
        return cmd;
    }

    public Task WriteAsync(JournalEntry entry, CancellationToken cancellationToken) => session.Run(async c =>
    {
        await using var cmd = Command(c, JournalChange.Record(entry), null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task DeleteAsync(string version, CancellationToken cancellationToken) => session.Run(async c =>
    {
        await using var cmd = Command(c, JournalChange.Remove(version), null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });
}
