using System.Data.Common;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>PostgreSQL's backfill SQL; a table with no key at all is walked in ctid (block) ranges, which PostgreSQL 14+
/// reads with a TID Range Scan (only the blocks of the batch).</summary>
internal sealed class PostgresBackfillSql : BackfillSqlBase, IBlockRangeBackfill
{
    public string BlockKeyName => "ctid";

    public string BlockCount(string table) =>
        $"SELECT pg_relation_size(to_regclass('{table.Replace("'", "''", StringComparison.Ordinal)}')) / current_setting('block_size')::bigint";

    public string BlockRange(string low, string high) =>
        $"ctid >= CAST('(' || CAST(@{low} AS bigint) || ',0)' AS tid) AND ctid < CAST('(' || CAST(@{high} AS bigint) || ',0)' AS tid)";

    public override string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string Param(string name, KeyColumn column) => $"CAST({name} AS {column.SqlType})";

    public override string? LockTimeout(TimeSpan timeout) => $"SET LOCAL lock_timeout = '{(long)timeout.TotalMilliseconds}ms'";

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

    // lock_not_available, serialization failure, deadlock
    public override bool IsLockTimeout(DbException exception) => exception.SqlState is "55P03" or "40001" or "40P01";

    // CREATE TABLE IF NOT EXISTS is not safe against itself: two runs starting together on a fresh database can
    // both pass the check, and the second fails on the catalog's unique index (23505) or with 42P07
    public override bool IsCreateRace(DbException exception) => exception.SqlState is "23505" or "42P07";

    // duplicate_column
    public override bool IsDuplicateColumn(DbException exception) => exception.SqlState == "42701";

    public override bool IsConnectionLost(Exception exception) => PostgresErrors.Classify(exception) == ErrorKind.ConnectionLost;
}
