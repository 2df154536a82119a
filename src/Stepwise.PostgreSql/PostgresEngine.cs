using System.Globalization;
using Npgsql;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.PostgreSql;

/// <summary>Runs migrations on PostgreSQL. The migration lock is a session-level advisory lock on a
/// connection of its own, so it never makes CREATE INDEX CONCURRENTLY wait on it (Flyway's bug).</summary>
public sealed class PostgresEngine : IMigrationEngine
{
    // an arbitrary fixed key: every stepwise runner on a database contends for the same lock
    private const long LockKey = 7_359_282_710_163_947_631;
    private const string Journal = "stepwise_migrations";

    private readonly DatabaseTarget _target;
    private readonly NpgsqlDataSource _dataSource;
    private NpgsqlConnection? _connection;
    private NpgsqlConnection? _lockConnection;

    public PostgresEngine(DatabaseTarget target)
    {
        _target = target;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = target.Host,
            Port = target.Port,
            Database = target.Database,
            Username = target.User,
            Password = target.Password,
            ApplicationName = "stepwise",
            Timeout = 15,
            CommandTimeout = 0,
            Pooling = false,
            IncludeErrorDetail = true,
        };
        foreach (var (key, value) in target.Parameters)
        {
            if (string.Equals(key, "sslmode", StringComparison.OrdinalIgnoreCase) && Enum.TryParse<SslMode>(value, ignoreCase: true, out var ssl))
            {
                builder.SslMode = ssl;
            }
            else if (string.Equals(key, "connect_timeout", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t))
            {
                builder.Timeout = t;
            }
        }

        _dataSource = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString).Build();
    }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public string ServerVersion { get; private set; } = string.Empty;

    public int PgMajorVersion { get; private set; }

    private NpgsqlConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        ServerVersion = _connection.ServerVersion;
        PgMajorVersion = _connection.PostgreSqlVersion.Major;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            throw new EngineException(FailureKind.Connection, Describe(ex), (ex as PostgresException)?.SqlState, ex);
        }
    }

    public async Task<bool> TryLockAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        _lockConnection ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var got = await Run(async () =>
            {
                await using var cmd = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", _lockConnection);
                return (bool)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }).ConfigureAwait(false);
            if (got)
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 + Random.Shared.Next(100)), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task UnlockAsync(CancellationToken cancellationToken)
    {
        if (_lockConnection is null)
        {
            return;
        }

        try
        {
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", _lockConnection);
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // the session is gone, and with it the lock
        }

        await _lockConnection.DisposeAsync().ConfigureAwait(false);
        _lockConnection = null;
    }

    public Task EnsureJournalAsync(CancellationToken cancellationToken) => Run(async () =>
    {
        await using var cmd = new NpgsqlCommand($"""
            CREATE TABLE IF NOT EXISTS {Journal} (
              version text PRIMARY KEY,
              name text NOT NULL,
              checksum text NOT NULL,
              state text NOT NULL,
              applied_at timestamptz NOT NULL DEFAULT now(),
              duration_ms bigint NOT NULL DEFAULT 0,
              applied_by text NOT NULL DEFAULT '',
              statements_done integer NOT NULL DEFAULT 0,
              failed_statement_index integer,
              failed_statement text,
              error text
            )
            """, Connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(CancellationToken cancellationToken) => Run<IReadOnlyList<JournalEntry>>(async () =>
    {
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{Journal}') IS NOT NULL", Connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return [];
            }
        }

        await using var cmd = new NpgsqlCommand($"SELECT version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error FROM {Journal} ORDER BY version", Connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new JournalEntry
            {
                Version = reader.GetString(0),
                Name = reader.GetString(1),
                Checksum = reader.GetString(2),
                State = JournalEntry.ParseState(reader.GetString(3)),
                AppliedAt = new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
                DurationMs = reader.GetInt64(5),
                AppliedBy = reader.GetString(6),
                StatementsDone = reader.GetInt32(7),
                FailedStatementIndex = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                FailedStatement = reader.IsDBNull(9) ? null : reader.GetString(9),
                Error = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return list;
    });

    private NpgsqlCommand UpsertCommand(JournalEntry e, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var cmd = new NpgsqlCommand($"""
            INSERT INTO {Journal} (version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error)
            VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10)
            ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum, state = excluded.state, applied_at = excluded.applied_at,
              duration_ms = excluded.duration_ms, applied_by = excluded.applied_by, statements_done = excluded.statements_done,
              failed_statement_index = excluded.failed_statement_index, failed_statement = excluded.failed_statement, error = excluded.error
            """, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Version });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Name });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Checksum });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JournalEntry.StateName(e.State) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = e.DurationMs });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = e.AppliedBy });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = e.StatementsDone });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)e.FailedStatementIndex ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)e.FailedStatement ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)e.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return cmd;
    }

    private NpgsqlCommand DeleteCommand(string version, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var cmd = new NpgsqlCommand($"DELETE FROM {Journal} WHERE version = $1", connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        return cmd;
    }

    public Task WriteJournalAsync(JournalEntry entry, CancellationToken cancellationToken) => Run(async () =>
    {
        await using var cmd = UpsertCommand(entry, Connection, null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    public Task DeleteJournalAsync(string version, CancellationToken cancellationToken) => Run(async () =>
    {
        await using var cmd = DeleteCommand(version, Connection, null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    private static string Millis(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        var index = -1;
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // SET LOCAL: the timeouts end with the transaction (a SET on a pooled connection would not stick)
            await using (var set = new NpgsqlCommand($"SET LOCAL lock_timeout = '{Millis(limits.LockTimeout)}'; SET LOCAL statement_timeout = '{Millis(limits.StatementTimeout)}'", Connection, tx))
            {
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            for (index = 0; index < statements.Count; index++)
            {
                await using var cmd = new NpgsqlCommand(statements[index], Connection, tx);
                await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            index = -1;
            await using (var record = journal.Write is { } w ? UpsertCommand(w, Connection, tx) : DeleteCommand(journal.DeleteVersion!, Connection, tx))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            if (tx is not null)
            {
                try
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception rollback) when (rollback is NpgsqlException or InvalidOperationException or IOException)
                {
                    // the connection is gone; the server rolls back
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
            // sent separately: a multi-statement query is an implicit transaction, which CONCURRENTLY refuses
            await using (var set = new NpgsqlCommand($"SET lock_timeout = '{Millis(limits.LockTimeout)}'; SET statement_timeout = '{Millis(limits.StatementTimeout)}'", Connection))
            {
                await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var cmd = new NpgsqlCommand(statement, Connection);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, 0);
        }
    }

    public Task<IReadOnlyList<string>> FindInvalidIndexesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) => Run<IReadOnlyList<string>>(async () =>
    {
        // one name at a time: the slim data source has no array support (a string[] parameter throws)
        var list = new List<string>();
        foreach (var name in names)
        {
            await using var cmd = new NpgsqlCommand("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid AND c.relname = $1", Connection);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(reader.GetString(0));
            }
        }

        return list;
    });

    public Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(string tool, CancellationToken cancellationToken) => Run<IReadOnlyList<string>?>(async () =>
    {
        var (table, query) = tool switch
        {
            "golang-migrate" => ("schema_migrations", "SELECT version::text FROM schema_migrations WHERE NOT dirty"),
            "dbmate" => ("schema_migrations", "SELECT version::text FROM schema_migrations"),
            "flyway" => ("flyway_schema_history", "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"),
            "prisma" => ("_prisma_migrations", "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"),
            "drizzle" => ("drizzle.__drizzle_migrations", "SELECT created_at::text FROM drizzle.__drizzle_migrations"),
            _ => (string.Empty, string.Empty),
        };
        if (table.Length == 0)
        {
            return null;
        }

        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{table}') IS NOT NULL", Connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return null;
            }
        }

        await using var cmd = new NpgsqlCommand(query, Connection);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    });

    private async Task<T> Run<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, null);
        }
    }

    /// <summary>Driver and network failures. Npgsql answers a command on a connection the server has closed
    /// (pg_terminate_backend, a restart) with InvalidOperationException, which is a lost connection too.</summary>
    private bool IsDatabaseFailure(Exception ex) =>
        ex is NpgsqlException or TimeoutException or IOException
        || (ex is InvalidOperationException && (_connection?.State ?? System.Data.ConnectionState.Closed) != System.Data.ConnectionState.Open);

    private EngineException Translate(Exception ex, int? statementIndex)
    {
        var state = (ex as PostgresException)?.SqlState;
        var kind = state switch
        {
            "55P03" => FailureKind.LockTimeout,
            "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" => FailureKind.Connection,
            null when ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException => FailureKind.Connection,
            _ => FailureKind.Statement,
        };
        return new EngineException(kind, _target.Scrub(Describe(ex)), state, ex) { StatementIndex = statementIndex };
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.MessageText} (SQLSTATE {pg.SqlState}){(pg.Detail is { Length: > 0 } d ? ": " + d : string.Empty)}",
        NpgsqlException { InnerException: { } inner } => inner.Message,
        _ => ex.Message,
    };

    public async Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken) =>
        await OpenAsync(cancellationToken).ConfigureAwait(false);

    public Task<IReadOnlyList<Stepwise.Migrations.Backfill.KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken) => Run<IReadOnlyList<Stepwise.Migrations.Backfill.KeyColumn>>(async () =>
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = to_regclass($1) AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, Connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Stepwise.Migrations.Backfill.KeyColumn>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Stepwise.Migrations.Backfill.KeyColumn(reader.GetString(0), reader.GetString(1)));
        }

        return list;
    });

    public Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken) => Run<long?>(async () =>
    {
        await using var cmd = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", Connection);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long n && n >= 0 ? n : null; // -1: never analyzed
    });

    public async ValueTask DisposeAsync()
    {
        if (_lockConnection is not null)
        {
            await _lockConnection.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
