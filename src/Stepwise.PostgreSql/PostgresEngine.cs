using System.Globalization;
using Npgsql;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.PostgreSql;

/// <summary>Runs migrations on PostgreSQL. The migration lock is a session-level advisory lock taken outside
/// any transaction, so a CREATE INDEX CONCURRENTLY never waits on it (Flyway's bug: a lock held in an open
/// transaction). It is held by the session that runs the statements: after a kill -9 of the client, a
/// statement the server is still executing keeps the lock until it ends, so the next run cannot overlap it.</summary>
public sealed class PostgresEngine : IMigrationEngine
{
    // an arbitrary fixed key: every stepwise runner on a database contends for the same lock
    private const long LockKey = 7_359_282_710_163_947_631;
    private const string Journal = "stepwise_migrations";

    private readonly DatabaseTarget _target;
    private readonly NpgsqlDataSource _dataSource;
    private NpgsqlConnection? _connection;

    public PostgresEngine(DatabaseTarget target)
    {
        _target = target;
        _dataSource = PostgresDataSource.Build(target);
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
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var got = await Run(async () =>
            {
                await using var cmd = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", Connection);
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
        if (_connection is null)
        {
            return;
        }

        try
        {
            await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", _connection);
            await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            // the session is gone, and with it the lock
        }
    }

    public Task<string?> LockHolderAsync(CancellationToken cancellationToken) => Run<string?>(async () =>
    {
        // a bigint advisory key shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1
        await using var cmd = new NpgsqlCommand("""
            SELECT a.pid, coalesce(a.application_name, ''), coalesce(a.state, ''),
                   coalesce(extract(epoch FROM now() - coalesce(a.query_start, a.backend_start))::bigint, -1),
                   left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = $1 AND l.objid::bigint = $2
            """, Connection);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)((ulong)LockKey >> 32) });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = LockKey & 0xFFFF_FFFF });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // another role's session shows only its pid unless we may see its activity (pg_read_all_stats)
        var seconds = reader.GetInt64(3);
        var details = string.Join(", ", new[] { reader.GetString(1), reader.GetString(2) + (seconds >= 0 ? $" for {seconds} s" : string.Empty), reader.GetString(4) }.Where(d => d.Length > 0));
        return string.Create(CultureInfo.InvariantCulture, $"server session {reader.GetInt32(0)}{(details.Length > 0 ? $" ({details})" : string.Empty)}");
    });

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

        await using var cmd = new NpgsqlCommand($"SELECT {JournalRows.Columns} FROM {Journal} ORDER BY version", Connection);
        return await JournalRows.ReadAllAsync(cmd, r => new DateTimeOffset(r.GetDateTime(4), TimeSpan.Zero), cancellationToken).ConfigureAwait(false);
    });

    private const string UpsertSql = $"""
        INSERT INTO {Journal} (version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error)
        VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10)
        ON CONFLICT (version) DO UPDATE SET name = excluded.name, checksum = excluded.checksum, state = excluded.state, applied_at = excluded.applied_at,
          duration_ms = excluded.duration_ms, applied_by = excluded.applied_by, statements_done = excluded.statements_done,
          failed_statement_index = excluded.failed_statement_index, failed_statement = excluded.failed_statement, error = excluded.error
        """;

    private const string DeleteSql = $"DELETE FROM {Journal} WHERE version = $1";

    private static void AddUpsertParameters(NpgsqlParameterCollection parameters, JournalEntry e)
    {
        parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Version });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Name });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = e.Checksum });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = JournalEntry.StateName(e.State) });
        parameters.Add(new NpgsqlParameter<long> { TypedValue = e.DurationMs });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = e.AppliedBy });
        parameters.Add(new NpgsqlParameter<int> { TypedValue = e.StatementsDone });
        parameters.Add(new NpgsqlParameter { Value = (object?)e.FailedStatementIndex ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        parameters.Add(new NpgsqlParameter { Value = (object?)e.FailedStatement ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)e.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }

    private static NpgsqlCommand UpsertCommand(JournalEntry e, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var cmd = new NpgsqlCommand(UpsertSql, connection, transaction);
        AddUpsertParameters(cmd.Parameters, e);
        return cmd;
    }

    private static NpgsqlCommand DeleteCommand(string version, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var cmd = new NpgsqlCommand(DeleteSql, connection, transaction);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        return cmd;
    }

    private static NpgsqlBatchCommand JournalBatchCommand(JournalChange journal)
    {
        if (journal.Write is { } entry)
        {
            var upsert = new NpgsqlBatchCommand(UpsertSql);
            AddUpsertParameters(upsert.Parameters, entry);
            return upsert;
        }

        var delete = new NpgsqlBatchCommand(DeleteSql);
        delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = journal.DeleteVersion! });
        return delete;
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

    /// <summary>The commands in a migration's batch before its first statement: BEGIN and the two SET LOCALs.</summary>
    private const int BatchPrologue = 3;

    public async Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken)
    {
        // One round trip per migration: BEGIN, the timeouts, every statement, the journal row and COMMIT are
        // pipelined behind one Sync. After an error the server skips the rest, COMMIT included, and the error
        // names its batch command. SET LOCAL: the timeouts end with the transaction; statement_timeout
        // restarts at each statement.
        await using var batch = new NpgsqlBatch(Connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL lock_timeout = '{Millis(limits.LockTimeout)}'"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SET LOCAL statement_timeout = '{Millis(limits.StatementTimeout)}'"));
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        batch.BatchCommands.Add(JournalBatchCommand(journal));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        var committed = false;
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            committed = true;
        }
        catch (Exception ex) when (IsDatabaseFailure(ex))
        {
            throw Translate(ex, FailedStatement(batch, ex, statements.Count));
        }
        finally
        {
            if (!committed)
            {
                await RollBackAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the failed transaction so the connection can be used again (a warning, not an error, when
    /// none is open: it failed at COMMIT, or never began).</summary>
    private async Task RollBackAsync()
    {
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", Connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
        {
            // the connection is gone; the server rolls back
        }
    }

    /// <summary>The index of the migration statement a batch failed at: the command the server's error names,
    /// else (the connection broke) the first statement that had not completed; null for BEGIN, SET, journal or COMMIT.</summary>
    private static int? FailedStatement(NpgsqlBatch batch, Exception ex, int statementCount)
    {
        var command = ex is PostgresException { BatchCommand: { } named } ? batch.BatchCommands.IndexOf(named) : -1;
        for (var i = 0; command < 0 && i < batch.BatchCommands.Count; i++)
        {
            // a command's type is known once the server has reported it complete
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                command = i;
            }
        }

        var index = command - BatchPrologue;
        return index >= 0 && index < statementCount ? index : null;
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
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
