using Stepwise.Sql;

namespace Stepwise.Engines;

/// <summary>
/// One database, seen through the roles the runner needs. An engine owns one working session (the connection
/// that holds the migration lock and runs the statements); every role acts on that session unless it says
/// otherwise. Optional abilities (invalid-index cleanup now; lock tracing and dual-write triggers later) are
/// separate interfaces that <see cref="Ability{T}"/> returns when the engine has them.
/// </summary>
public interface IEngine : IAsyncDisposable
{
    /// <summary>The SQL dialect of the database.</summary>
    SqlDialect Dialect { get; }

    /// <summary>What the server said about itself; known after <see cref="ConnectAsync"/>.</summary>
    ServerInfo Server { get; }

    /// <summary>Opens the working session. Throws <see cref="EngineException"/> (kind <see cref="ErrorKind.ConnectionLost"/>) when it cannot.</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Runs migration statements with their limits.</summary>
    IStatementExecutor Executor { get; }

    /// <summary>The migration lock: one runner at a time per database.</summary>
    IMigrationLock Lock { get; }

    /// <summary>The journal table (<c>stepwise_migrations</c>).</summary>
    IJournalStore Journal { get; }

    /// <summary>Read-only questions about the schema and other tools' history tables.</summary>
    ICatalog Catalog { get; }

    /// <summary>The dialect's SQL for batched backfills.</summary>
    IBackfillSql Backfill { get; }

    /// <summary>An optional ability, or null when this engine does not have it.</summary>
    T? Ability<T>()
        where T : class;
}

/// <summary>The server's version as the runner uses it.</summary>
/// <param name="Version">As the server reports it, e.g. <c>15.4</c> or <c>10.11.6-MariaDB</c>.</param>
/// <param name="PostgresMajor">PostgreSQL's major version; 0 on other databases.</param>
public sealed record ServerInfo(string Version, int PostgresMajor)
{
    /// <summary>Before the session is open.</summary>
    public static readonly ServerInfo Unknown = new(string.Empty, 0);
}

/// <summary>Timeouts for one unit of work.</summary>
/// <param name="LockTimeout">How long a statement may wait for a table lock before it fails (and may be retried).</param>
/// <param name="StatementTimeout">How long a statement may run (zero: no limit).</param>
public sealed record ExecutionLimits(TimeSpan LockTimeout, TimeSpan StatementTimeout);

/// <summary>Runs statements on the working session.</summary>
public interface IStatementExecutor
{
    /// <summary>Runs the statements and the journal change in one transaction, with the limits set for that
    /// transaction only. On failure everything is rolled back and an <see cref="EngineException"/> names the
    /// failing statement's index (null when it was not a migration statement).</summary>
    Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken);

    /// <summary>Runs one statement on its own (autocommit), with the limits applied to it.</summary>
    Task ExecuteAsync(string statement, ExecutionLimits limits, CancellationToken cancellationToken);

    /// <summary>A further connection for data work (backfill batches), opened for and owned by the caller.</summary>
    Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Ends a transaction that the migration's own statements opened (a file's <c>BEGIN</c>) after a
    /// statement inside it failed, undoing what ran since; no error when none is open. Throws
    /// <see cref="EngineException"/> when the session is gone (the server then rolls back by itself).</summary>
    Task RollBackOpenTransactionAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("ROLLBACK", new ExecutionLimits(TimeSpan.FromSeconds(10), TimeSpan.Zero), cancellationToken);
}

/// <summary>
/// The migration lock, held by the working session and taken outside any transaction (so a CONCURRENTLY build
/// never waits on it). A statement the server still runs for a killed client keeps it until it ends.
/// </summary>
public interface IMigrationLock
{
    /// <summary>Takes the lock; false when another session holds it for longer than <paramref name="wait"/>.
    /// <paramref name="waiting"/> is told once, after about a second of waiting, so a caller can say so.</summary>
    Task<bool> TryAcquireAsync(TimeSpan wait, IProgress<LockWait>? waiting, CancellationToken cancellationToken);

    /// <summary>Releases the lock (nothing when the session is gone: the lock went with it).</summary>
    Task ReleaseAsync(CancellationToken cancellationToken);

    /// <summary>Who holds the lock now, as far as the server tells (null: free, or not visible to this user).</summary>
    Task<LockHolder?> HolderAsync(CancellationToken cancellationToken);
}

/// <summary>Said while waiting for a lock held by someone else.</summary>
/// <param name="What">Which lock: <see cref="LockKind"/>.</param>
/// <param name="Waited">How long the wait has lasted so far.</param>
public sealed record LockWait(LockKind What, TimeSpan Waited)
{
    /// <summary>What is locked, when it is a file (the SQLite database).</summary>
    public string? Resource { get; init; }
}

/// <summary>The locks a runner may wait for.</summary>
public enum LockKind
{
    /// <summary>Another runner's migration lock.</summary>
    MigrationLock,

    /// <summary>A file database's write lock held by another connection (SQLite).</summary>
    DatabaseWriteLock,
}

/// <summary>The session holding the migration lock, as the server describes it.</summary>
/// <param name="SessionId">The server's id of the session (PostgreSQL backend pid, MySQL connection id), when there is one.</param>
/// <param name="Application">Its application name, when known.</param>
/// <param name="State">Its state (active, idle …), when known.</param>
/// <param name="Seconds">How long its current statement (or the session) has run, when known.</param>
/// <param name="Query">The start of its current statement, when visible.</param>
public sealed record LockHolder(long? SessionId, string? Application, string? State, long? Seconds, string? Query)
{
    /// <summary>For a file database: the lock file another process holds.</summary>
    public string? LockFile { get; init; }
}

/// <summary>Read-only questions the runner asks about the database.</summary>
public interface ICatalog
{
    /// <summary>The primary-key columns of a table in key order, with their SQL types; empty when it has none
    /// (or does not exist).</summary>
    Task<IReadOnlyList<KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken);

    /// <summary>The planner's row estimate (cheap; may be stale), or null.</summary>
    Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken);

    /// <summary>The versions another tool's history table says it applied; null when the table does not exist.</summary>
    Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(ForeignHistory history, CancellationToken cancellationToken);
}

/// <summary>Optional ability of an engine's <see cref="ICatalog"/>: the key a backfill walks when a table has no primary key.</summary>
public interface IUniqueKeyCatalog
{
    /// <summary>The columns, in index order, of the narrowest unique index whose columns are all NOT NULL (fewest
    /// columns, then the smallest values; no partial or expression index); empty when the table has none (or does not exist).</summary>
    Task<IReadOnlyList<KeyColumn>> UniqueNotNullKeyAsync(string table, CancellationToken cancellationToken);
}

/// <summary>Optional ability of an engine's <see cref="IBackfillSql"/>: batches over ranges of the table's physical
/// blocks, for a table with no key at all (PostgreSQL: ctid ranges).</summary>
public interface IBlockRangeBackfill
{
    /// <summary>What progress and plans call the walked position (e.g. <c>ctid</c>).</summary>
    string BlockKeyName { get; }

    /// <summary>A query of one row and one bigint column: the table's current size in blocks (null when it does not exist).</summary>
    string BlockCount(string table);

    /// <summary>A predicate true for the rows stored in blocks [@<paramref name="low"/>, @<paramref name="high"/>) (bigint parameters).</summary>
    string BlockRange(string low, string high);
}

/// <summary>A primary-key column and the SQL type of its values.</summary>
/// <param name="Name">The column's name, unquoted.</param>
/// <param name="SqlType">Its type as the catalog names it (e.g. <c>timestamp with time zone</c>, <c>binary(16)</c>).</param>
public sealed record KeyColumn(string Name, string SqlType);

/// <summary>Optional ability: find and drop indexes left INVALID by an interrupted concurrent build (PostgreSQL).</summary>
public interface IInvalidIndexCleanup
{
    /// <summary>The INVALID indexes among the given names, schema-qualified and quoted.</summary>
    Task<IReadOnlyList<string>> FindInvalidIndexesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>Drops one of them without blocking writes.</summary>
    Task DropInvalidIndexAsync(string qualifiedName, CancellationToken cancellationToken);
}

/// <summary>Optional ability: the engine waits on the database's own write lock (SQLite: another connection is
/// writing) and can say so, instead of waiting silently.</summary>
public interface IDatabaseLockWaits
{
    /// <summary>Told once per wait, after about a second.</summary>
    IProgress<LockWait>? Waiting { get; set; }
}
