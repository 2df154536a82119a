using System.Globalization;
using MySqlConnector;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.MySql;

/// <summary>Runs migrations on MySQL or MariaDB. DDL commits implicitly there, so the runner records
/// progress per statement; the lock is GET_LOCK on a connection of its own.</summary>
public sealed class MySqlEngine : IMigrationEngine
{
    private const string Journal = "stepwise_migrations";
    private readonly DatabaseTarget _target;
    private readonly string _connectionString;
    private readonly string _lockName;
    private MySqlConnection? _connection;

    public MySqlEngine(DatabaseTarget target)
    {
        _target = target;
        _connectionString = MySqlConnectionString.Build(target);

        // GET_LOCK names are server-wide: name the database so runs on other databases don't wait (64 chars max)
        var lockName = "stepwise:" + target.Database;
        _lockName = lockName.Length <= 64 ? lockName : "stepwise:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(target.Database)))[..40];
    }

    public SqlDialect Dialect => SqlDialect.MySql;

    public string ServerVersion { get; private set; } = string.Empty;

    public int PgMajorVersion => 0;

    private MySqlConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // MariaDB prefixes its version with "5.5.5-" for old replication clients
        var version = _connection.ServerVersion;
        ServerVersion = version.StartsWith("5.5.5-", StringComparison.Ordinal) && version.Contains("MariaDB", StringComparison.OrdinalIgnoreCase) ? version[6..] : version;
    }

    private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new MySqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex) when (ex is MySqlException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new EngineException(FailureKind.Connection, _target.Scrub(ex.Message), (ex as MySqlException)?.Number.ToString(CultureInfo.InvariantCulture), ex);
        }
    }

    public async Task<bool> TryLockAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        await Run(async () =>
        {
            // on the session that runs the statements: a DDL statement the server goes on executing after the
            // client was killed keeps the lock until it ends, so the next run cannot overlap it
            await using var cmd = new MySqlCommand("SELECT GET_LOCK(@name, @wait)", Connection);
            cmd.Parameters.AddWithValue("@name", _lockName);
            cmd.Parameters.AddWithValue("@wait", Math.Max(0, (int)wait.TotalSeconds));
            var result = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return result is not null and not DBNull && Convert.ToInt64(result, CultureInfo.InvariantCulture) == 1;
        }, null).ConfigureAwait(false);

    public async Task UnlockAsync(CancellationToken cancellationToken)
    {
        if (_connection is null)
        {
            return;
        }

        try
        {
            await using var cmd = new MySqlCommand("SELECT RELEASE_LOCK(@name)", _connection);
            cmd.Parameters.AddWithValue("@name", _lockName);
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
        {
            // the session is gone, and with it the lock
        }
    }

    public Task<string?> LockHolderAsync(CancellationToken cancellationToken) => Run<string?>(async () =>
    {
        await using var cmd = new MySqlCommand("""
            SELECT p.ID, p.USER, p.COMMAND, p.TIME, LEFT(REPLACE(REPLACE(COALESCE(p.INFO, ''), '\n', ' '), '\r', ' '), 120)
            FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(@name)
            """, Connection);
        cmd.Parameters.AddWithValue("@name", _lockName);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"server connection {Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)} ({reader.GetString(1)}, {reader.GetString(2)} for {Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture)} s: {reader.GetString(4)})");
    }, null);

    public Task EnsureJournalAsync(CancellationToken cancellationToken) => Exec($"""
        CREATE TABLE IF NOT EXISTS {Journal} (
          version VARCHAR(191) NOT NULL PRIMARY KEY,
          name VARCHAR(500) NOT NULL,
          checksum VARCHAR(64) NOT NULL,
          state VARCHAR(16) NOT NULL,
          applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
          duration_ms BIGINT NOT NULL DEFAULT 0,
          applied_by VARCHAR(200) NOT NULL DEFAULT '',
          statements_done INT NOT NULL DEFAULT 0,
          failed_statement_index INT NULL,
          failed_statement MEDIUMTEXT NULL,
          error TEXT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
        """, cancellationToken);

    private Task Exec(string sql, CancellationToken ct) => Run(async () =>
    {
        await using var cmd = new MySqlCommand(sql, Connection);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return true;
    }, null);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(CancellationToken cancellationToken) => Run<IReadOnlyList<JournalEntry>>(async () =>
    {
        await using (var exists = new MySqlCommand($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{Journal}'", Connection))
        {
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return [];
            }
        }

        await using var cmd = new MySqlCommand($"SELECT {JournalRows.Columns} FROM {Journal} ORDER BY version", Connection);
        return await JournalRows.ReadAllAsync(cmd, r => new DateTimeOffset(DateTime.SpecifyKind(r.GetDateTime(4), DateTimeKind.Utc)), cancellationToken).ConfigureAwait(false);
    }, null);

    private MySqlCommand JournalCommand(JournalChange change, MySqlTransaction? tx)
    {
        var cmd = new MySqlCommand { Connection = Connection, Transaction = tx };
        if (change.Write is not { } e)
        {
            cmd.CommandText = $"DELETE FROM {Journal} WHERE version = @v";
            cmd.Parameters.AddWithValue("@v", change.DeleteVersion);
            return cmd;
        }

        cmd.CommandText = $"""
            INSERT INTO {Journal} (version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error)
            VALUES (@v, @n, @c, @s, UTC_TIMESTAMP(6), @d, @by, @done, @fi, @fs, @err)
            ON DUPLICATE KEY UPDATE name = VALUES(name), checksum = VALUES(checksum), state = VALUES(state), applied_at = VALUES(applied_at),
              duration_ms = VALUES(duration_ms), applied_by = VALUES(applied_by), statements_done = VALUES(statements_done),
              failed_statement_index = VALUES(failed_statement_index), failed_statement = VALUES(failed_statement), error = VALUES(error)
            """;
        JournalRows.AddParameters(cmd, e, '@');
        return cmd;
    }

    public Task WriteJournalAsync(JournalEntry entry, CancellationToken cancellationToken) => Run(async () =>
    {
        await using var cmd = JournalCommand(JournalChange.Record(entry), null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }, null);

    public Task DeleteJournalAsync(string version, CancellationToken cancellationToken) => Run(async () =>
    {
        await using var cmd = JournalCommand(JournalChange.Remove(version), null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }, null);

    private static string Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>lock_wait_timeout bounds metadata-lock waits (DDL); innodb_lock_wait_timeout row-lock waits.
    /// Both default to long waits (a year for metadata locks): always set them.</summary>
    private async Task SetLimitsAsync(ExecutionLimits limits, MySqlTransaction? tx, CancellationToken ct)
    {
        var statementMs = ((long)limits.StatementTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var isMaria = ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase);
        var statementLimit = isMaria
            ? $"SET SESSION max_statement_time = {(limits.StatementTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)}"
            : $"SET SESSION max_execution_time = {statementMs}";
        await using var cmd = new MySqlCommand($"SET SESSION lock_wait_timeout = {Seconds(limits.LockTimeout)}; SET SESSION innodb_lock_wait_timeout = {Seconds(limits.LockTimeout)}; {statementLimit}", Connection, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var index = -1;
        MySqlTransaction? tx = null;
        try
        {
            await SetLimitsAsync(limits, null, cancellationToken).ConfigureAwait(false);
            tx = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            for (index = 0; index < statements.Count; index++)
            {
                await using var cmd = new MySqlCommand(statements[index], Connection, tx);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            index = -1;
            await using (var record = JournalCommand(journal, tx))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
        {
            if (tx is not null)
            {
                try
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception rollback) when (rollback is MySqlException or InvalidOperationException)
                {
                    // connection gone: the server rolls back
                }
            }

            throw Translate(ex, index >= 0 ? index : null);
        }
        finally
        {
            if (tx is not null)
            {
                await tx.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task ExecuteAsync(string statement, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        try
        {
            await SetLimitsAsync(limits, null, cancellationToken).ConfigureAwait(false);
            await using var cmd = new MySqlCommand(statement, Connection);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
        {
            throw Translate(ex, 0);
        }
    }

    public Task<IReadOnlyList<string>> FindInvalidIndexesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(string tool, CancellationToken cancellationToken) => Run<IReadOnlyList<string>?>(async () =>
    {
        var (table, query) = tool switch
        {
            "golang-migrate" => ("schema_migrations", "SELECT CAST(version AS CHAR) FROM schema_migrations WHERE dirty = 0"),
            "dbmate" => ("schema_migrations", "SELECT CAST(version AS CHAR) FROM schema_migrations"),
            "flyway" => ("flyway_schema_history", "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL"),
            "prisma" => ("_prisma_migrations", "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"),
            "drizzle" => ("__drizzle_migrations", "SELECT CAST(created_at AS CHAR) FROM __drizzle_migrations"),
            _ => (string.Empty, string.Empty),
        };
        if (table.Length == 0)
        {
            return null;
        }

        await using (var exists = new MySqlCommand($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'", Connection))
        {
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }
        }

        await using var cmd = new MySqlCommand(query, Connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }, null);

    private async Task<T> Run<T>(Func<Task<T>> action, int? index)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MySqlException or InvalidOperationException or IOException)
        {
            throw Translate(ex, index);
        }
    }

    private EngineException Translate(Exception ex, int? index)
    {
        var number = (ex as MySqlException)?.Number;
        var kind = number switch
        {
            1205 or 3572 => FailureKind.LockTimeout, // lock wait timeout (metadata or row), NOWAIT
            2006 or 2013 or 1927 or 1053 => FailureKind.Connection, // server gone / lost / killed / shutdown
            null => FailureKind.Connection,
            _ when ex is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => FailureKind.Connection,
            _ => FailureKind.Statement,
        };
        var message = number is { } n ? $"{ex.Message} (error {n})" : ex.Message;
        return new EngineException(kind, _target.Scrub(message), number?.ToString(CultureInfo.InvariantCulture), ex) { StatementIndex = index };
    }

    public async Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<Stepwise.Migrations.Backfill.KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken) => Run<IReadOnlyList<Stepwise.Migrations.Backfill.KeyColumn>>(async () =>
    {
        await using var cmd = new MySqlCommand("""
            SELECT k.COLUMN_NAME, c.COLUMN_TYPE FROM information_schema.KEY_COLUMN_USAGE k
            JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = k.TABLE_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME AND c.COLUMN_NAME = k.COLUMN_NAME
            WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = @t AND k.CONSTRAINT_NAME = 'PRIMARY'
            ORDER BY k.ORDINAL_POSITION
            """, Connection);
        cmd.Parameters.AddWithValue("@t", table.Trim('`'));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Stepwise.Migrations.Backfill.KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Stepwise.Migrations.Backfill.KeyColumn(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }, null);

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken) => Run<long?>(async () =>
    {
        await using var cmd = new MySqlCommand("SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @t", Connection);
        cmd.Parameters.AddWithValue("@t", table.Trim('`'));
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }, null);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
