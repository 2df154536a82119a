using Stepwise.Migrations.Backfill;
using Stepwise.Sql;

namespace Stepwise.Migrations.Backfill;

/// <summary>The dialect differences of the backfill loop: quoting, casts, timeouts, the checkpoint table.</summary>
internal sealed class BackfillSql(SqlDialect dialect)
{
    public const string CheckpointTable = "stepwise_backfills";

    public string Quote(string identifier) => dialect == SqlDialect.MySql
        ? "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`"
        : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A table name as given (possibly schema-qualified, possibly already quoted) made safe to splice.</summary>
    public string Table(string table)
    {
        var parts = table.Split('.');
        return string.Join('.', parts.Select(p => p.Length > 1 && (p[0] == '"' || p[0] == '`') ? p : Quote(p)));
    }

    /// <summary>A checkpoint value (text) compared with a key column of its own type.</summary>
    public string Param(string name, KeyColumn column) => dialect switch
    {
        SqlDialect.PostgreSql => $"CAST({name} AS {column.SqlType})",
        _ => name, // MySQL and SQLite convert a text parameter to the column's type/affinity
    };

    /// <summary>(a, b) &gt; (x, y): row-value comparison, which all three support (SQLite 3.15+).</summary>
    public string RowCompare(IReadOnlyList<KeyColumn> key, string op, string prefix, string? alias = null)
    {
        var columns = string.Join(", ", key.Select(k => (alias is null ? string.Empty : alias + ".") + Quote(k.Name)));
        var values = string.Join(", ", key.Select((k, i) => Param($"@{prefix}{i}", k)));
        return key.Count == 1 ? $"{columns} {op} {values}" : $"({columns}) {op} ({values})";
    }

    public string OrderBy(IReadOnlyList<KeyColumn> key, bool descending = false) =>
        string.Join(", ", key.Select(k => Quote(k.Name) + (descending ? " DESC" : string.Empty)));

    /// <summary>Statements run at the start of each batch transaction so it never waits long on application row locks.</summary>
    public string? LockTimeout(TimeSpan timeout) => dialect switch
    {
        SqlDialect.PostgreSql => $"SET LOCAL lock_timeout = '{(long)timeout.TotalMilliseconds}ms'",
        SqlDialect.MySql => $"SET SESSION innodb_lock_wait_timeout = {Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds))}",
        _ => null,
    };

    public string CreateCheckpointTable() => dialect switch
    {
        SqlDialect.MySql => $"""
            CREATE TABLE IF NOT EXISTS {CheckpointTable} (
              name VARCHAR(191) NOT NULL PRIMARY KEY, table_name VARCHAR(500) NOT NULL, state VARCHAR(16) NOT NULL,
              last_key TEXT NULL, end_key TEXT NULL, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
              updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
            """,
        _ => $"""
            CREATE TABLE IF NOT EXISTS {CheckpointTable} (
              name TEXT PRIMARY KEY, table_name TEXT NOT NULL, state TEXT NOT NULL,
              last_key TEXT, end_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
              updated_at TEXT)
            """,
    };

    /// <summary>A new checkpoint row; nothing when one of that name exists (another run got there first).</summary>
    public string InsertCheckpointIfAbsent() => dialect switch
    {
        SqlDialect.MySql => $"""
            INSERT IGNORE INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches, updated_at)
            VALUES (@name, @table, @state, @last, @end, @rows, @batches, UTC_TIMESTAMP(6))
            """,
        _ => $"""
            INSERT INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches, updated_at)
            VALUES (@name, @table, @state, @last, @end, @rows, @batches, CAST(CURRENT_TIMESTAMP AS TEXT))
            ON CONFLICT (name) DO NOTHING
            """,
    };

    public string UpsertCheckpoint() => dialect switch
    {
        SqlDialect.MySql => $"""
            INSERT INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches, updated_at)
            VALUES (@name, @table, @state, @last, @end, @rows, @batches, UTC_TIMESTAMP(6))
            ON DUPLICATE KEY UPDATE table_name = VALUES(table_name), state = VALUES(state), last_key = VALUES(last_key), end_key = VALUES(end_key),
              rows_done = VALUES(rows_done), batches = VALUES(batches), updated_at = VALUES(updated_at)
            """,
        _ => $"""
            INSERT INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches, updated_at)
            VALUES (@name, @table, @state, @last, @end, @rows, @batches, CAST(CURRENT_TIMESTAMP AS TEXT))
            ON CONFLICT (name) DO UPDATE SET table_name = excluded.table_name, state = excluded.state, last_key = excluded.last_key,
              end_key = excluded.end_key, rows_done = excluded.rows_done, batches = excluded.batches, updated_at = excluded.updated_at
            """,
    };
}
