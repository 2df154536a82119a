using Npgsql;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.PostgreSql;

/// <summary>
/// Runs migrations on PostgreSQL. One working session (<see cref="PostgresSession"/>) holds the migration lock (a
/// session-level advisory lock taken outside any transaction, so a CREATE INDEX CONCURRENTLY never waits on it) and
/// runs the statements: after a kill -9 of the client, a statement the server is still executing keeps the lock
/// until it ends, so the next run cannot overlap it. Each role is its own class on that session.
/// </summary>
public sealed class PostgresEngine : IEngine
{
    private readonly PostgresSession _session;
    private readonly PostgresInvalidIndexes _invalidIndexes;
    private readonly ExpandContract.PostgresExpandContract _expandContract;
    private readonly ExpandContract.PostgresOldNameUsage _oldNameUsage;
    private readonly Trace.PostgresTracer _tracer;
    private readonly Schema.PostgresSchemaReader _schemaReader;
    private readonly Schema.PostgresScratchDatabases _scratch;
    private readonly PostgresTableSizes _tableSizes;

    /// <summary>An engine for a parsed postgres:// URL; nothing is opened until <see cref="ConnectAsync"/>.</summary>
    public PostgresEngine(DatabaseTarget target)
    {
        _session = new PostgresSession(target);
        var journal = new PostgresJournal(_session);
        Journal = journal;
        Executor = new PostgresExecutor(_session, journal);
        Lock = new PostgresLock(_session);
        Catalog = new PostgresCatalog(_session);
        _invalidIndexes = new PostgresInvalidIndexes(_session, Executor);
        _expandContract = new ExpandContract.PostgresExpandContract(_session);
        _oldNameUsage = new ExpandContract.PostgresOldNameUsage(_session);
        _tracer = new Trace.PostgresTracer(_session);
        _schemaReader = new Schema.PostgresSchemaReader(_session);
        _scratch = new Schema.PostgresScratchDatabases(_session);
        _tableSizes = new PostgresTableSizes(_session);
    }

    /// <inheritdoc/>
    public SqlDialect Dialect => SqlDialect.PostgreSql;

    /// <inheritdoc/>
    public ServerInfo Server => _session.Server;

    /// <inheritdoc/>
    public IStatementExecutor Executor { get; }

    /// <inheritdoc/>
    public IMigrationLock Lock { get; }

    /// <inheritdoc/>
    public IJournalStore Journal { get; }

    /// <inheritdoc/>
    public ICatalog Catalog { get; }

    /// <inheritdoc/>
    public IBackfillSql Backfill { get; } = new PostgresBackfillSql();

    /// <inheritdoc/>
    public Task ConnectAsync(CancellationToken cancellationToken) => _session.ConnectAsync(cancellationToken);

    /// <inheritdoc/>
    public T? Ability<T>()
        where T : class => _invalidIndexes as T ?? _expandContract as T ?? _oldNameUsage as T ?? _schemaReader as T ?? _scratch as T ?? _tableSizes as T ?? _tracer as T;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
