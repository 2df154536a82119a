namespace Stepwise.Migrations.Backfill;

/// <summary>What to change, on which table, and how gently.</summary>
/// <param name="Name">Identifies the checkpoint: the same name resumes; a finished one is not run again.</param>
/// <param name="Table">The table to change (its primary key drives the batches).</param>
/// <param name="Set">The SET list, e.g. <c>display_name = username, flags = 0</c>.</param>
/// <param name="Where">Which rows to change (optional); rows not matching are skipped, not rescanned.</param>
/// <param name="BatchTime">Target duration of one batch: the batch size adapts to hit it (null: fixed size).</param>
/// <param name="BatchSize">Rows per batch: the first batch's size when <paramref name="BatchTime"/> is set, else every batch's
/// (clamped to <see cref="MinBatchSize"/>..<see cref="MaxBatchSize"/>; a lock timeout halves it).</param>
/// <param name="Sleep">Pause between batches (zero: none).</param>
/// <param name="LockTimeout">How long one batch waits for application row locks (zero: <see cref="DefaultLockTimeout"/>).</param>
public sealed record BackfillSpec(
    string Name,
    string Table,
    string Set,
    string? Where,
    int BatchSize = 1000,
    TimeSpan? BatchTime = null,
    TimeSpan Sleep = default,
    TimeSpan LockTimeout = default)
{
    /// <summary>Rows in the first batch when no size is given.</summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>The target batch duration when neither a size nor a time is given: an application write that
    /// meets a batch's row locks waits at most about this long (the goal is under 200 ms), while the few
    /// round trips per batch still cost only a few percent of throughput (measured: bench/backfill-vs-update.sh).</summary>
    public static readonly TimeSpan DefaultBatchTime = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a batch waits for application row locks before it retries with half the rows.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The command's and the file form's one rule: a batch size alone is fixed; otherwise the size
    /// adapts to the given batch time, or to <see cref="DefaultBatchTime"/>.</summary>
    public static TimeSpan? BatchTimeFor(int? batchSize, TimeSpan? batchTime) => batchTime ?? (batchSize is null ? DefaultBatchTime : null);

    /// <summary>The smallest batch, in rows, that adapting or halving after a lock timeout goes down to.</summary>
    public int MinBatchSize { get; init; } = 10;

    /// <summary>The largest batch, in rows, that adapting to <see cref="BatchTime"/> goes up to.</summary>
    public int MaxBatchSize { get; init; } = 100_000;

    /// <summary>After each batch, pause this many times the batch's own duration (gh-ost's nice ratio): 1 gives
    /// the backfill about half of one connection's time, so a busy server keeps headroom for the application
    /// (0: no such pause; at most 1 minute per batch; <see cref="Sleep"/> is added either way).</summary>
    public double NiceRatio { get; init; }

    /// <summary>Retries of one batch after a lock timeout (each halves the batch).</summary>
    public int MaxRetries { get; init; } = 20;
}

/// <summary>The state of a backfill's checkpoint.</summary>
public enum BackfillState
{
    /// <summary>Started and not finished: the same name resumes after the last committed batch.</summary>
    Running,

    /// <summary>Every row up to the end key was processed: the same name does nothing.</summary>
    Done,
}

/// <summary>The row of stepwise_backfills that makes a backfill resumable. LastKey is the key of the last row
/// of the last committed batch, written in the same transaction as that batch; EndKey the largest key when the
/// backfill started.</summary>
public sealed record BackfillCheckpoint(string Name, string Table, BackfillState State, BackfillKey? LastKey, BackfillKey? EndKey, long RowsDone, long Batches)
{
    /// <summary>The SET list the name is bound to (null: a checkpoint of a release that did not record it).</summary>
    public string? Set { get; init; }

    /// <summary>The WHERE predicate the name is bound to (null: none, or not recorded when <see cref="Set"/> is null).</summary>
    public string? Where { get; init; }
}

/// <summary>Progress after each batch.</summary>
public sealed record BackfillProgress(long RowsDone, long RowsScanned, long Batches, int BatchSize, double RowsPerSecond, long? EstimatedTotal, TimeSpan Elapsed)
{
    /// <summary>Estimated time left at the current rate over the rows not yet scanned (null: no estimate of the total, or no rate yet).</summary>
    public TimeSpan? Eta => EstimatedTotal is { } total && RowsPerSecond > 0 && total > RowsScanned ? TimeSpan.FromSeconds((total - RowsScanned) / RowsPerSecond) : null;
}

/// <summary>How a backfill run ended.</summary>
public enum BackfillOutcome
{
    /// <summary>This run finished the backfill (or the table was empty).</summary>
    Done,

    /// <summary>The checkpoint was already finished (by an earlier or a concurrent run): nothing was changed.</summary>
    AlreadyDone,

    /// <summary>Cancelled between batches: the committed batches are kept, the same spec resumes.</summary>
    Stopped,

    /// <summary>The database raised an error (or the checkpoint could not be read or written); committed batches are kept.</summary>
    Failed,

    /// <summary>The spec cannot run: no primary key, a checkpoint of that name bound to another table, SET or WHERE, or no connection.</summary>
    InputError,

    /// <summary>The connection was lost during the run: the committed batches are kept, the same spec resumes.</summary>
    ConnectionLost,
}

/// <summary>The end of a backfill run.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">A one-line account for the user (passwords scrubbed).</param>
/// <param name="RowsDone">Rows changed by the backfill so far, over every run of its checkpoint.</param>
/// <param name="Batches">Batches committed so far, over every run of its checkpoint.</param>
public sealed record BackfillResult(BackfillOutcome Outcome, string Message, long RowsDone = 0, long Batches = 0)
{
    /// <summary>For a failure the database raised: how it was classified (null: the backfill itself refused, e.g. no primary key).</summary>
    public Stepwise.Engines.ErrorKind? ErrorKind { get; init; }

    /// <summary>For a failure the database raised: its SQLSTATE or error number, when known.</summary>
    public string? SqlState { get; init; }
}
