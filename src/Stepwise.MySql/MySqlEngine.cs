using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.MySql;

/// <summary>Runs migrations on MySQL or MariaDB. DDL commits implicitly there, so the runner records progress per
/// statement; the migration lock is GET_LOCK on the working session. Each role is its own class on that session.</summary>
public sealed class MySqlEngine : IEngine
{
    private readonly MySqlSession _session;
    private readonly MySqlExpandContract _expandContract;
    private readonly MySqlOldNameUsage _oldNameUsage;
    private readonly Trace.MySqlTracer _tracer;
    private readonly Schema.MySqlSchemaReader _schemaReader;
    private readonly Schema.MySqlScratchDatabases _scratch;
    private readonly MySqlTableSizes _tableSizes;

    /// <summary>An engine for a parsed mysql:// or mariadb:// URL; nothing is opened until <see cref="ConnectAsync"/>.</summary>
    public MySqlEngine(DatabaseTarget target)
    {
        _session = new MySqlSession(target);
        var journal = new MySqlJournal(_session);
        Journal = journal;
        Executor = new MySqlExecutor(_session, journal);
        Lock = new MySqlLock(_session);
        Catalog = new MySqlCatalog(_session);
        _expandContract = new MySqlExpandContract(_session);
        _oldNameUsage = new MySqlOldNameUsage(_session);
        _tracer = new Trace.MySqlTracer(_session);
        _schemaReader = new Schema.MySqlSchemaReader(_session);
        _scratch = new Schema.MySqlScratchDatabases(_session);
        _tableSizes = new MySqlTableSizes(_session);
    }

    /// <inheritdoc/>
    public SqlDialect Dialect => SqlDialect.MySql;

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
    public IBackfillSql Backfill { get; } = new MySqlBackfillSql();

    /// <inheritdoc/>
    public Task ConnectAsync(CancellationToken cancellationToken) => _session.ConnectAsync(cancellationToken);

    /// <inheritdoc/>
    public T? Ability<T>()
        where T : class => _expandContract as T ?? _oldNameUsage as T ?? _schemaReader as T ?? _scratch as T ?? _tableSizes as T ?? _tracer as T;

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
