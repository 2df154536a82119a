using System.Data.Common;
using Microsoft.Data.Sqlite;
using Stepwise.Engines;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>SQLite's backfill SQL (as the SQLite engine writes it), for the recording engine's in-memory SQLite
/// database. What it produces is recorded when it runs, by <see cref="RecordingConnection"/>.</summary>
internal sealed class RecordingBackfillSql : BackfillSqlBase
{
    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string? LockTimeout(TimeSpan timeout) => null;

    public override string CreateCheckpointTable() => $"""
        CREATE TABLE IF NOT EXISTS {CheckpointTable} (
          name TEXT PRIMARY KEY, table_name TEXT NOT NULL, state TEXT NOT NULL,
          last_key TEXT, end_key TEXT, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0)
        """;

    public override string InsertCheckpointIfAbsent() => $"""
        INSERT INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches)
        VALUES (@name, @table, @state, @last, @end, @rows, @batches)
        ON CONFLICT (name) DO NOTHING
        """;

    public override string UpsertCheckpoint() => $"""
        INSERT INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches)
        VALUES (@name, @table, @state, @last, @end, @rows, @batches)
        ON CONFLICT (name) DO UPDATE SET table_name = excluded.table_name, state = excluded.state,
          last_key = excluded.last_key, end_key = excluded.end_key, rows_done = excluded.rows_done, batches = excluded.batches
        """;

    public override string ReadCheckpoint(string columns, bool forUpdate) => base.ReadCheckpoint(columns, forUpdate: false);

    public override bool IsLockTimeout(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 or 6 };

    public override bool IsConnectionLost(Exception exception) => false;

    public override bool IsDuplicateColumn(DbException exception) => exception.Message.Contains("duplicate column", StringComparison.OrdinalIgnoreCase);
}
