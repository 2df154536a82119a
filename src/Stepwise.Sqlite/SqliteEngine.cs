using System.Globalization;
using Microsoft.Data.Sqlite;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.Sqlite;

/// <summary>Runs migrations on a SQLite file. The migration lock is an exclusively opened (flock) lock file
/// beside the database, kept between runs, so two runners never apply the same migration twice.</summary>
public sealed class SqliteEngine : IMigrationEngine, IReportsDatabaseLockWait
{
    private const string Journal = "stepwise_migrations";

    /// <summary>How long a journal command, BEGIN IMMEDIATE or COMMIT waits for another connection's write lock
    /// (Microsoft.Data.Sqlite's default command timeout, which this wait had before it was said).</summary>
    private static readonly TimeSpan BusyBudget = TimeSpan.FromSeconds(30);

    private readonly DatabaseTarget _target;
    private SqliteConnection? _connection;
    private FileStream? _lockFile;

    public SqliteEngine(DatabaseTarget target)
    {
        _target = target;
    }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    public string ServerVersion { get; private set; } = string.Empty;

    public int PgMajorVersion => 0;

    public Action<string>? WaitingForDatabaseLock { get; set; }

    private SqliteConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    private string LockPath => _target.FilePath + ".stepwise-lock";

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var path = _target.FilePath!;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new EngineException(FailureKind.Connection, $"folder {folder} does not exist");
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 1 }; // busy waits: see WhileBusyAsync
            _connection = new SqliteConnection(builder.ConnectionString);
            await _connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            ServerVersion = "SQLite " + _connection.ServerVersion;
        }
        catch (SqliteException ex)
        {
            throw new EngineException(FailureKind.Connection, ex.Message, ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture), ex);
        }
    }

    public async Task<bool> TryLockAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                // never deleted: unlinking on close lets a waiter lock the orphaned file while a third creates a new one
                _lockFile = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return true;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(100)), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    public Task<string?> LockHolderAsync(CancellationToken cancellationToken) =>
        Task.FromResult<string?>($"the process that has the lock file {LockPath} open");

    public Task UnlockAsync(CancellationToken cancellationToken)
    {
        _lockFile?.Dispose();
        _lockFile = null;
        return Task.CompletedTask;
    }

    public Task EnsureJournalAsync(CancellationToken cancellationToken) => Run(async () =>
    {
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"""
            CREATE TABLE IF NOT EXISTS {Journal} (
              version TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              checksum TEXT NOT NULL,
              state TEXT NOT NULL,
              applied_at TEXT NOT NULL,
              duration_ms INTEGER NOT NULL DEFAULT 0,
              applied_by TEXT NOT NULL DEFAULT '',
              statements_done INTEGER NOT NULL DEFAULT 0,
              failed_statement_index INTEGER,
              failed_statement TEXT,
              error TEXT
            )
            """;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }, null);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(CancellationToken cancellationToken) => Run<IReadOnlyList<JournalEntry>>(async () =>
    {
        await using (var exists = Connection.CreateCommand())
        {
            exists.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{Journal}'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return [];
            }
        }

        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT {JournalRows.Columns} FROM {Journal} ORDER BY version";
        return await JournalRows.ReadAllAsync(cmd, r => DateTimeOffset.Parse(r.GetString(4), CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }, null);

    private SqliteCommand JournalCommand(JournalChange change, SqliteTransaction? tx)
    {
        var cmd = Connection.CreateCommand();
        cmd.Transaction = tx;
        if (change.Write is not { } e)
        {
            cmd.CommandText = $"DELETE FROM {Journal} WHERE version = $v";
            cmd.Parameters.AddWithValue("$v", change.DeleteVersion);
            return cmd;
        }

        cmd.CommandText = $"""
            INSERT INTO {Journal} (version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error)
            VALUES ($v, $n, $c, $s, $at, $d, $by, $done, $fi, $fs, $err)
            ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum, state = excluded.state, applied_at = excluded.applied_at,
              duration_ms = excluded.duration_ms, applied_by = excluded.applied_by, statements_done = excluded.statements_done,
              failed_statement_index = excluded.failed_statement_index, failed_statement = excluded.failed_statement, error = excluded.error
            """;
        JournalRows.AddParameters(cmd, e, '$');
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
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

    private static int BusySeconds(ExecutionLimits limits) => Math.Max(1, (int)Math.Ceiling(limits.LockTimeout.TotalSeconds));

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var index = -1;
        SqliteTransaction? tx = null;
        try
        {
            tx = await WhileBusyAsync(async () => (SqliteTransaction)await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            for (index = 0; index < statements.Count; index++)
            {
                await using var cmd = Connection.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = statements[index];
                cmd.CommandTimeout = BusySeconds(limits);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            index = -1;
            await using (var record = JournalCommand(journal, tx))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var committing = tx;
            await WhileBusyAsync(async () =>
            {
                await committing.CommitAsync(cancellationToken).ConfigureAwait(false); // a COMMIT answered SQLITE_BUSY leaves the transaction open
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            if (tx is not null)
            {
                try
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (SqliteException)
                {
                    // a failed COMMIT may already have ended the transaction
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
            await using var cmd = Connection.CreateCommand();
            cmd.CommandText = statement;
            cmd.CommandTimeout = BusySeconds(limits);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
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
            "golang-migrate" => ("schema_migrations", "SELECT CAST(version AS TEXT) FROM schema_migrations WHERE NOT dirty"),
            "dbmate" => ("schema_migrations", "SELECT CAST(version AS TEXT) FROM schema_migrations"),
            "flyway" => ("flyway_schema_history", "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"),
            "prisma" => ("_prisma_migrations", "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"),
            "drizzle" => ("__drizzle_migrations", "SELECT CAST(created_at AS TEXT) FROM __drizzle_migrations"),
            _ => (string.Empty, string.Empty),
        };
        if (table.Length == 0)
        {
            return null;
        }

        await using (var exists = Connection.CreateCommand())
        {
            exists.CommandText = $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
            {
                return null;
            }
        }

        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = query;
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
            return await WhileBusyAsync(action, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, index);
        }
    }

    /// <summary>
    /// Retries <paramref name="action"/> while another connection holds the database's write lock (SQLITE_BUSY /
    /// SQLITE_LOCKED), for up to <see cref="BusyBudget"/>. Each attempt waits a second inside the driver (the
    /// connection's default timeout), so after the first busy answer the wait is said, once, through
    /// <see cref="WaitingForDatabaseLock"/>. Only for idempotent work: journal commands, BEGIN, COMMIT.
    /// </summary>
    private async Task<T> WhileBusyAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        while (true)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 && clock.Elapsed < BusyBudget)
            {
                if (!said && clock.Elapsed >= TimeSpan.FromSeconds(1))
                {
                    said = true;
                    WaitingForDatabaseLock?.Invoke($"waiting for the database lock: another connection is writing to {_target.FilePath}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static EngineException Translate(SqliteException ex, int? index)
    {
        // SQLITE_BUSY (5) / SQLITE_LOCKED (6): another connection holds the lock
        var kind = ex.SqliteErrorCode is 5 or 6 ? FailureKind.LockTimeout : FailureKind.Statement;
        return new EngineException(kind, ex.Message, ex.SqliteErrorCode.ToString(CultureInfo.InvariantCulture), ex) { StatementIndex = index };
    }

    public async Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _target.FilePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>The declared primary key, else rowid (every ordinary SQLite table has one).</summary>
    public Task<IReadOnlyList<Stepwise.Migrations.Backfill.KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken) => Run<IReadOnlyList<Stepwise.Migrations.Backfill.KeyColumn>>(async () =>
    {
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = "SELECT name, type, pk FROM pragma_table_info($t) ORDER BY pk";
        cmd.Parameters.AddWithValue("$t", table.Trim('"'));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var columns = 0;
        var list = new List<Stepwise.Migrations.Backfill.KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns++;
            if (reader.GetInt32(2) > 0)
            {
                list.Add(new Stepwise.Migrations.Backfill.KeyColumn(reader.GetString(0), reader.GetString(1)));
            }
        }

        return columns == 0 ? [] : list.Count > 0 ? list : [new Stepwise.Migrations.Backfill.KeyColumn("rowid", "INTEGER")];
    }, null);

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken) => Run<long?>(async () =>
    {
        await using var cmd = Connection.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM \"{table.Trim('"').Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }, null);

    public async ValueTask DisposeAsync()
    {
        _lockFile?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
