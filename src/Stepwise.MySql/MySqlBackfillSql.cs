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
          updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), set_list TEXT NULL, where_clause TEXT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """;

    public override string AddCheckpointColumn(string column) => $"ALTER TABLE {CheckpointTable} ADD COLUMN {Quote(column)} TEXT NULL";

    public override string InsertCheckpointIfAbsent() => $"""
        INSERT IGNORE INTO {CheckpointTable} ({CheckpointColumns}, updated_at)
        VALUES ({CheckpointValues}, UTC_TIMESTAMP(6))
        """;

    public override string UpsertCheckpoint() => $"""
        INSERT INTO {CheckpointTable} ({CheckpointColumns}, updated_at)
        VALUES ({CheckpointValues}, UTC_TIMESTAMP(6))
        ON DUPLICATE KEY UPDATE table_name = VALUES(table_name), set_list = VALUES(set_list), where_clause = VALUES(where_clause),
          state = VALUES(state), last_key = VALUES(last_key), end_key = VALUES(end_key), rows_done = VALUES(rows_done),
          batches = VALUES(batches), updated_at = VALUES(updated_at)
        """;

    // lock wait timeout, deadlock
    public override bool IsLockTimeout(DbException exception) => exception is MySqlException { Number: 1205 or 1213 or 3572 };

    // ER_DUP_FIELDNAME
    public override bool IsDuplicateColumn(DbException exception) => exception is MySqlException { Number: 1060 };

    // Classify calls every non-driver exception a lost connection (the runner only passes driver failures): here
    // only driver and I/O failures are, so a bug never reads as "connection lost"
    public override bool IsConnectionLost(Exception exception) =>
        exception is MySqlException or IOException or System.Net.Sockets.SocketException or InvalidOperationException or ObjectDisposedException
        && MySqlErrors.Classify(exception) == ErrorKind.ConnectionLost;
}
