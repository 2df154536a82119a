namespace Stepwise.Engines;

// What a statement really does to a live database, observed on a scratch copy: the locks it takes (seen by a second
// connection polling the server's lock table every few milliseconds, so locks released before the statement ends
// are seen too), the tables and indexes it rewrites (storage id before and after), the tables it scans, its duration
// and, on MySQL/MariaDB, the ALTER algorithm the server chose. The core (`stepwise trace`) merges this with lint.

/// <summary>Application statement kinds that a lock can block.</summary>
[Flags]
public enum BlockedStatements
{
    /// <summary>Blocks no plain application statement.</summary>
    None = 0,

    /// <summary>SELECT (PostgreSQL AccessShareLock; MySQL SHARED_READ metadata lock).</summary>
    Select = 1,

    /// <summary>INSERT (PostgreSQL RowExclusiveLock; MySQL SHARED_WRITE).</summary>
    Insert = 2,

    /// <summary>UPDATE.</summary>
    Update = 4,

    /// <summary>DELETE.</summary>
    Delete = 8,

    /// <summary>INSERT, UPDATE and DELETE.</summary>
    Writes = Insert | Update | Delete,

    /// <summary>Every kind.</summary>
    All = Select | Writes,
}

/// <summary>How a MySQL/MariaDB ALTER ran.</summary>
public enum AlterAlgorithm
{
    /// <summary>Metadata only (no data touched).</summary>
    Instant,

    /// <summary>In place (DML allowed meanwhile); a rebuild still copies the table inside the engine.</summary>
    Inplace,

    /// <summary>Copied into a new table (writes blocked throughout).</summary>
    Copy,
}

/// <summary>One relation lock the traced statement held.</summary>
/// <param name="Relation">The table or index, unquoted (<c>schema.name</c> outside the default schema).</param>
/// <param name="IsIndex">True when the relation is an index.</param>
/// <param name="Mode">The mode as the server names it (<c>AccessExclusiveLock</c>, <c>ShareUpdateExclusiveLock</c>; MySQL <c>EXCLUSIVE</c>, <c>SHARED_UPGRADABLE</c>…).</param>
/// <param name="Held">From the first poll that saw it to the last (or to the statement's commit when still held then).</param>
/// <param name="Blocks">The application statements this mode would make wait.</param>
public sealed record TracedLock(string Relation, bool IsIndex, string Mode, TimeSpan Held, BlockedStatements Blocks)
{
    /// <summary>True when no poll saw this lock and the tracer infers it from what it did see (MariaDB's
    /// performance_schema keeps showing an upgraded metadata lock under its first type, SHARED_UPGRADABLE, so a
    /// COPY's SHARED_NO_WRITE and the brief EXCLUSIVE of every ALTER are inferred from the algorithm).</summary>
    public bool Inferred { get; init; }
}

/// <summary>What happened to a table's or index's storage.</summary>
public enum StorageChangeKind
{
    /// <summary>Its data was rewritten into new storage (new relfilenode; MySQL: new InnoDB table id).</summary>
    Rewritten,

    /// <summary>It was created by the statement.</summary>
    Created,

    /// <summary>It was dropped by the statement.</summary>
    Dropped,
}

/// <summary>A table's or index's storage change.</summary>
/// <param name="Relation">Unquoted name.</param>
/// <param name="IsIndex">True for an index.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Table">For an index, its table; otherwise the relation itself.</param>
public sealed record StorageChange(string Relation, bool IsIndex, StorageChangeKind Kind, string Table);

/// <summary>The observation of one statement.</summary>
/// <param name="Duration">Wall-clock time of the statement (and its commit).</param>
/// <param name="Locks">Relation locks, one per relation and mode, ordered by relation then first sight.</param>
/// <param name="Storage">Tables and indexes rewritten, created or dropped.</param>
/// <param name="Scanned">Tables read in full by the statement (PostgreSQL, when run in a transaction; empty when unknown).</param>
/// <param name="Algorithm">MySQL/MariaDB: how an ALTER ran; null elsewhere or for other statements.</param>
/// <param name="Error">The server's error when the statement failed (nothing was committed), else null.</param>
public sealed record StatementTrace(
    TimeSpan Duration,
    IReadOnlyList<TracedLock> Locks,
    IReadOnlyList<StorageChange> Storage,
    IReadOnlyList<string> Scanned,
    AlterAlgorithm? Algorithm,
    string? Error)
{
    /// <summary>Notes on what could not be observed (e.g. performance_schema off), empty when all was.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>False when the server could not show the statement's locks (MySQL/MariaDB with performance_schema or
    /// its metadata-lock instrument off): an empty <see cref="Locks"/> then means unknown, not none.</summary>
    public bool LocksObserved { get; init; } = true;

    /// <summary>True when a table (or an existing index) was rewritten.</summary>
    public bool Rewrite => Storage.Any(s => s.Kind == StorageChangeKind.Rewritten);

    /// <summary>Every application statement kind some lock blocked.</summary>
    public BlockedStatements Blocks => Locks.Aggregate(BlockedStatements.None, (all, l) => all | l.Blocks);
}

/// <summary>How to run a traced statement.</summary>
/// <param name="InTransaction">Run inside its own transaction (as <c>up</c> does for most statements); false for
/// statements that cannot (CREATE INDEX CONCURRENTLY, ALTER TYPE … ADD VALUE before PostgreSQL 12, MySQL DDL).</param>
/// <param name="PollInterval">How often the second connection reads the lock table.</param>
/// <param name="StatementTimeout">Upper bound for the statement (zero: none).</param>
public sealed record TraceOptions(bool InTransaction, TimeSpan PollInterval, TimeSpan StatementTimeout)
{
    /// <summary>In a transaction, polling every 2 ms, no timeout.</summary>
    public static readonly TraceOptions Default = new(true, TimeSpan.FromMilliseconds(2), TimeSpan.Zero);
}

/// <summary>Optional ability: run one statement on the working session while watching its locks and storage
/// (PostgreSQL: pg_locks + relfilenode; MySQL/MariaDB: performance_schema.metadata_locks + InnoDB table ids).</summary>
public interface IStatementTracer
{
    /// <summary>Runs <paramref name="statement"/> and reports what it did. A failing statement is a result (with
    /// <see cref="StatementTrace.Error"/>), not an exception; a lost connection throws <see cref="EngineException"/>.</summary>
    Task<StatementTrace> TraceAsync(string statement, TraceOptions options, CancellationToken cancellationToken);
}
