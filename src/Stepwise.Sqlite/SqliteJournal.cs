using System.Globalization;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>The journal table, created and upgraded from <see cref="JournalSchema"/>; times are ISO-8601 text.</summary>
internal sealed class SqliteJournal(SqliteSession session) : IJournalStore
{
    private const string Table = JournalSchema.Table;
    private const string Now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    private static string SqlType(JournalColumn c) => c.Type switch
    {
        JournalColumnType.Integer or JournalColumnType.BigInt => "INTEGER",
        _ => "TEXT",
    };

    private static string DefaultSql(JournalColumn c) => c.Default switch
    {
        JournalDefault.Now => $"({Now})",
        JournalDefault.Zero => "0",
        JournalDefault.Empty => "''",
        _ => "NULL",
    };

    private static string Definition(JournalColumn c, bool key) =>
        $"{c.Name} {SqlType(c)}{(key ? " PRIMARY KEY" : c.Nullable ? string.Empty : " NOT NULL")}{(c.Default == JournalDefault.None ? string.Empty : " DEFAULT " + DefaultSql(c))}";

    private static readonly string CreateSql = $"CREATE TABLE IF NOT EXISTS {Table} (\n  " + string.Join(",\n  ", JournalSchema.Columns.Select((c, i) => Definition(c, i == 0))) + "\n)";

    private static readonly string UpsertSql =
        $"INSERT INTO {Table} ({JournalSchema.ColumnList}) VALUES ({string.Join(", ", JournalSchema.Columns.Select((c, i) => c.Type == JournalColumnType.Timestamp ? Now : "$p" + i))}) "
        + $"ON CONFLICT (version) DO UPDATE SET {string.Join(", ", JournalSchema.Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))}";

    public Task<int> EnsureAsync(CancellationToken cancellationToken) => session.Run(async c =>
    {
        var existing = await ColumnsAsync(c, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            await using var create = c.CreateCommand();
            create.CommandText = CreateSql;
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }

        // a journal written by an earlier release: add what it lacks (SQLite adds columns with constant defaults only)
        foreach (var column in JournalSchema.Columns.Where(col => !existing.Contains(col.Name)))
        {
            await using var add = c.CreateCommand();
            add.CommandText = $"ALTER TABLE {Table} ADD COLUMN {column.Name} {SqlType(column)}{(column.Default is JournalDefault.None or JournalDefault.Now ? string.Empty : (column.Nullable ? string.Empty : " NOT NULL") + " DEFAULT " + DefaultSql(column))}";
            await add.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return JournalSchema.VersionOf(existing);
    });

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection c, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT name FROM pragma_table_info('{Table}')";
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

        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", JournalSchema.Columns.Select(col => existing.Contains(col.Name) ? col.Name : DefaultSql(col)))} FROM {Table} ORDER BY version";
        return await JournalSchema.ReadAllAsync(cmd, (r, i) => DateTimeOffset.Parse(r.GetString(i), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), cancellationToken).ConfigureAwait(false);
    });

    /// <summary>The command for a journal change, on the given transaction (or none).</summary>
    public static SqliteCommand Command(SqliteConnection connection, JournalChange change, SqliteTransaction? tx)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        if (change.Write is not { } e)
        {
            cmd.CommandText = $"DELETE FROM {Table} WHERE version = $v";
            cmd.Parameters.AddWithValue("$v", change.DeleteVersion);
            return cmd;
        }

        cmd.CommandText = UpsertSql;
        JournalSchema.AddParameters(cmd, e, '$');
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
