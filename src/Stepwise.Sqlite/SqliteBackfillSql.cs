using System.Data.Common;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Sqlite;

/// <summary>SQLite's backfill SQL: no per-batch lock timeout (the busy timeout applies), no FOR UPDATE (the
/// write lock of the batch transaction serialises runs).</summary>
internal sealed class SqliteBackfillSql : BackfillSqlBase
{
    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string? LockTimeout(TimeSpan timeout) => null;

    public override string CreateCheckpointTable() => $"""
        CREATE TABLE IF NOT EXISTS {CheckpointTable} (
          name TEXT PRIMARY KEY, table_name TEXT NOT NULL, state TEXT NOT NULL,
          last_key TEXT, end_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
          updated_at TEXT, set_list TEXT, where_clause TEXT)
        """;

    public override string InsertCheckpointIfAbsent() => $"""
        INSERT INTO {CheckpointTable} ({CheckpointColumns}, updated_at)
        VALUES ({CheckpointValues}, CAST(CURRENT_TIMESTAMP AS TEXT))
        ON CONFLICT (name) DO NOTHING
        """;

    public override string UpsertCheckpoint() => $"""
        INSERT INTO {CheckpointTable} ({CheckpointColumns}, updated_at)
        VALUES ({CheckpointValues}, CAST(CURRENT_TIMESTAMP AS TEXT))
        ON CONFLICT (name) DO UPDATE SET table_name = excluded.table_name, set_list = excluded.set_list, where_clause = excluded.where_clause,
          state = excluded.state, last_key = excluded.last_key, end_key = excluded.end_key, rows_done = excluded.rows_done,
          batches = excluded.batches, updated_at = excluded.updated_at
        """;

    public override string ReadCheckpoint(string columns, bool forUpdate) => base.ReadCheckpoint(columns, forUpdate: false);

    public override bool IsLockTimeout(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    public override bool IsDuplicateColumn(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 1 } && exception.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase);

    public override bool IsConnectionLost(Exception exception) => false;
}
