using System.Data.Common;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>MySQL's and MariaDB's backfill SQL.</summary>
internal sealed class MySqlBackfillSql : BackfillSqlBase
{
    public override string Quote(string identifier) => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`";

    // innodb_lock_wait_timeout is in whole seconds: a batch may wait up to 1 s on an application row lock
    public override string? LockTimeout(TimeSpan timeout) => $"SET SESSION innodb_lock_wait_timeout = {Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds))}";

    public override string CreateCheckpointTable() => $"""
        CREATE TABLE IF NOT EXISTS {CheckpointTable} (
          name VARCHAR(191) NOT NULL PRIMARY KEY, table_name VARCHAR(500) NOT NULL, state VARCHAR(16) NOT NULL,
          last_key TEXT NULL, end_key TEXT NULL, rows_done BIGINT NOT NULL DEFAULT 0, batches BIGINT NOT NULL DEFAULT 0,
          updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    public override string InsertCheckpointIfAbsent() => $"""
        INSERT IGNORE INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches, updated_at)
        VALUES (@name, @table, @state, @last, @end, @rows, @batches, UTC_TIMESTAMP(6))
        """;

    public override string UpsertCheckpoint() => $"""
        INSERT INTO {CheckpointTable} (name, table_name, state, last_key, end_key, rows_done, batches, updated_at)
        VALUES (@name, @table, @state, @last, @end, @rows, @batches, UTC_TIMESTAMP(6))
        ON DUPLICATE KEY UPDATE table_name = VALUES(table_name), state = VALUES(state), last_key = VALUES(last_key), end_key = VALUES(end_key),
          rows_done = VALUES(rows_done), batches = VALUES(batches), updated_at = VALUES(updated_at)
        """;

    // lock wait timeout, deadlock
    public override bool IsLockTimeout(DbException exception) => exception is MySqlException { Number: 1205 or 1213 or 3572 };

    public override bool IsConnectionLost(Exception exception) => MySqlErrors.Classify(exception) == ErrorKind.ConnectionLost;
}
