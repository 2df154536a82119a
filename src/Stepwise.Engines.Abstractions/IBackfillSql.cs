using System.Data.Common;

namespace Stepwise.Engines;

/// <summary>
/// The dialect's SQL for batched backfills: quoting, keyset comparisons on the primary key, the per-batch lock
/// timeout, the checkpoint table and its upserts, and which driver errors mean "a row lock was not granted".
/// The backfill loop itself is dialect-free and lives with the runner.
/// </summary>
public interface IBackfillSql
{
    /// <summary>The checkpoint table's name.</summary>
    string CheckpointTable { get; }

    /// <summary>An identifier quoted for this dialect.</summary>
    string Quote(string identifier);

    /// <summary>A table name as given (possibly schema-qualified, possibly already quoted) made safe to splice.</summary>
    string Table(string table);

    /// <summary>A parameter placeholder compared with a key column of its own type.</summary>
    string Param(string name, KeyColumn column);

    /// <summary>(a, b) op (p0, p1): a row-value comparison of the key with parameters named <c>@{prefix}{i}</c>.</summary>
    string RowCompare(IReadOnlyList<KeyColumn> key, string op, string prefix);

    /// <summary>The key columns as an ORDER BY list.</summary>
    string OrderBy(IReadOnlyList<KeyColumn> key, bool descending = false);

    /// <summary>The statement run at the start of each batch transaction so it never waits long on application row locks (null: none).</summary>
    string? LockTimeout(TimeSpan timeout);

    /// <summary>CREATE TABLE IF NOT EXISTS for the checkpoint table, with every column (those of
    /// <see cref="BackfillSqlBase.AddedCheckpointColumns"/> too).</summary>
    string CreateCheckpointTable();

    /// <summary>Adds one of the nullable text columns that later releases added to an existing checkpoint table.</summary>
    string AddCheckpointColumn(string column);

    /// <summary>Inserts a new checkpoint row (parameters @name, @table, @set, @where, @state, @last, @end, @rows,
    /// @batches and any the dialect adds), doing nothing when one of that name exists.</summary>
    string InsertCheckpointIfAbsent();

    /// <summary>Inserts or replaces a checkpoint row (same parameters).</summary>
    string UpsertCheckpoint();

    /// <summary>Reads a checkpoint row by @name; with <paramref name="forUpdate"/> it is locked for the batch transaction.</summary>
    string ReadCheckpoint(string columns, bool forUpdate);

    /// <summary>The error means a row lock was not granted in time (or a deadlock/serialization failure): retry smaller.</summary>
    bool IsLockTimeout(DbException exception);

    /// <summary>The error is CREATE TABLE IF NOT EXISTS racing with itself: the table is there.</summary>
    bool IsCreateRace(DbException exception);

    /// <summary>The error says the column being added exists (another run added it a moment ago).</summary>
    bool IsDuplicateColumn(DbException exception);

    /// <summary>The error means the connection was lost.</summary>
    bool IsConnectionLost(Exception exception);
}
