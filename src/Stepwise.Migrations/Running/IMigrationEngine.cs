using Stepwise.Sql;

namespace Stepwise.Migrations.Running;

/// <summary>Timeouts for one unit of work.</summary>
/// <param name="LockTimeout">How long a statement may wait for a table lock before it fails and is retried.</param>
/// <param name="StatementTimeout">How long a statement may run (zero: no limit).</param>
public sealed record ExecutionLimits(TimeSpan LockTimeout, TimeSpan StatementTimeout);

/// <summary>Why a statement failed, as the runner needs to know it.</summary>
public enum FailureKind
{
    /// <summary>It waited too long for a lock: safe to retry after a pause.</summary>
    LockTimeout,

    /// <summary>The connection broke (server gone, backend terminated).</summary>
    Connection,

    /// <summary>The database rejected the statement.</summary>
    Statement,
}

/// <summary>Raised by engines; the runner turns it into a result. Messages carry no password.</summary>
public sealed class EngineException : Exception
{
    public EngineException(FailureKind kind, string message, string? sqlState = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        SqlState = sqlState;
    }

    public EngineException()
    {
    }

    public EngineException(string message)
        : base(message)
    {
    }

    public EngineException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public FailureKind Kind { get; }

    public string? SqlState { get; }

    /// <summary>Index of the failing statement within the unit, when known.</summary>
    public int? StatementIndex { get; init; }
}

/// <summary>The seam between the runner and one database. Engines hold all SQL that talks to catalogs.</summary>
public interface IMigrationEngine : IAsyncDisposable
{
    SqlDialect Dialect { get; }

    /// <summary>Server version, e.g. 15.4 or 10.11.6-MariaDB; known after <see cref="ConnectAsync"/>.</summary>
    string ServerVersion { get; }

    /// <summary>PostgreSQL major version (0 elsewhere).</summary>
    int PgMajorVersion { get; }

    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Takes the migration lock on the connection that runs the statements (session level, taken
    /// outside a transaction, so it never makes a CONCURRENTLY build wait; and a statement the server still
    /// runs for a killed client keeps it). False when another session holds it for longer than <paramref name="wait"/>.</summary>
    Task<bool> TryLockAsync(TimeSpan wait, CancellationToken cancellationToken);

    /// <summary>Who holds the migration lock, for the message when it could not be taken (null: unknown, or free).</summary>
    Task<string?> LockHolderAsync(CancellationToken cancellationToken);

    Task UnlockAsync(CancellationToken cancellationToken);

    Task EnsureJournalAsync(CancellationToken cancellationToken);

    /// <summary>The journal's rows; empty when the journal table does not exist yet.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(CancellationToken cancellationToken);

    Task WriteJournalAsync(JournalEntry entry, CancellationToken cancellationToken);

    Task DeleteJournalAsync(string version, CancellationToken cancellationToken);

    /// <summary>Runs the statements and the journal write in one transaction, with the lock timeout set for
    /// that transaction only. Throws <see cref="EngineException"/> with StatementIndex on failure (rolled back).</summary>
    Task ExecuteInTransactionAsync(IReadOnlyList<string> statements, JournalChange journal, ExecutionLimits limits, CancellationToken cancellationToken);

    /// <summary>Runs one statement on its own (autocommit), with the limits applied to it.</summary>
    Task ExecuteAsync(string statement, ExecutionLimits limits, CancellationToken cancellationToken);

    /// <summary>Indexes left INVALID by a failed CREATE INDEX CONCURRENTLY among the given names (PostgreSQL).</summary>
    Task<IReadOnlyList<string>> FindInvalidIndexesAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);

    /// <summary>A further connection for data work (backfills), opened and owned by the caller.</summary>
    Task<System.Data.Common.DbConnection> OpenDataConnectionAsync(CancellationToken cancellationToken);

    /// <summary>The primary-key columns of a table in key order, with their SQL types; empty when it has none
    /// (or does not exist).</summary>
    Task<IReadOnlyList<Backfill.KeyColumn>> PrimaryKeyAsync(string table, CancellationToken cancellationToken);

    /// <summary>The planner's row estimate (cheap; may be stale), or null.</summary>
    Task<long?> EstimateRowsAsync(string table, CancellationToken cancellationToken);

    /// <summary>Reads another tool's history table for `baseline --from`: the versions it applied.</summary>
    Task<IReadOnlyList<string>?> ReadForeignHistoryAsync(string tool, CancellationToken cancellationToken);
}

/// <summary>An engine that can tell when it waits for the database's own write lock (SQLite: another connection
/// is writing), so the runner can say so instead of waiting silently.</summary>
public interface IReportsDatabaseLockWait
{
    /// <summary>Called (at most once per wait) when a wait for the database lock has lasted a second.</summary>
    Action<string>? WaitingForDatabaseLock { get; set; }
}
