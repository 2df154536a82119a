using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.Sqlite;

/// <summary>Runs migrations on a SQLite file. The migration lock is an exclusively opened (flock) lock file beside
/// the database, kept between runs, so two runners never apply the same migration twice.</summary>
public sealed class SqliteEngine : IEngine
{
    private readonly SqliteSession _session;
    private readonly SqliteExpandContract _expandContract;
    private readonly Schema.SqliteSchemaReader _schemaReader;

    /// <summary>An engine for a parsed sqlite: URL; nothing is opened until <see cref="ConnectAsync"/>.</summary>
    public SqliteEngine(DatabaseTarget target)
    {
        _session = new SqliteSession(target);
        var journal = new SqliteJournal(_session);
        Journal = journal;
        Executor = new SqliteExecutor(_session, journal);
        Lock = new SqliteLock(_session);
        Catalog = new SqliteCatalog(_session);
        _expandContract = new SqliteExpandContract(_session);
        _schemaReader = new Schema.SqliteSchemaReader(_session);
    }

    /// <inheritdoc/>
    public SqlDialect Dialect => SqlDialect.Sqlite;

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
    public IBackfillSql Backfill { get; } = new SqliteBackfillSql();

    /// <inheritdoc/>
    public Task ConnectAsync(CancellationToken cancellationToken) => _session.ConnectAsync(cancellationToken);

    /// <inheritdoc/>
    public T? Ability<T>()
        where T : class => _session as T ?? _expandContract as T ?? _schemaReader as T;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await ((SqliteLock)Lock).ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        await _session.DisposeAsync().ConfigureAwait(false);
    }
}
