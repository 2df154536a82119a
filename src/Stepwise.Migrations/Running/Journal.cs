namespace Stepwise.Migrations.Running;

/// <summary>What the journal says of one migration.</summary>
public enum JournalState
{
    /// <summary>Fully applied.</summary>
    Applied,

    /// <summary>A statement failed; nothing more runs until `repair` or `force`.</summary>
    Failed,

    /// <summary>Started outside a transaction and not finished: the runner died (kill -9, lost connection).
    /// The next `up` resumes after the last statement it recorded.</summary>
    Running,
}

/// <summary>A row of the stepwise_migrations table.</summary>
public sealed record JournalEntry
{
    public required string Version { get; init; }

    public required string Name { get; init; }

    public required string Checksum { get; init; }

    public required JournalState State { get; init; }

    public DateTimeOffset AppliedAt { get; init; }

    public long DurationMs { get; init; }

    public string AppliedBy { get; init; } = string.Empty;

    /// <summary>Statements completed (for migrations run statement by statement).</summary>
    public int StatementsDone { get; init; }

    /// <summary>0-based index of the failed statement, its text and the database's message.</summary>
    public int? FailedStatementIndex { get; init; }

    public string? FailedStatement { get; init; }

    public string? Error { get; init; }

    public static string StateName(JournalState state) => state switch
    {
        JournalState.Failed => "failed",
        JournalState.Running => "running",
        _ => "applied",
    };

    /// <summary>The state column's text; anything else is a corrupt journal (never guessed: a guess re-runs or
    /// skips migrations).</summary>
    public static JournalState ParseState(string? text) => text switch
    {
        "applied" => JournalState.Applied,
        "failed" => JournalState.Failed,
        "running" => JournalState.Running,
        _ => throw new CorruptJournalException($"state '{text}' is none of applied, failed, running"),
    };
}

/// <summary>The journal table holds a row the runner cannot read (an unknown state, a NULL or unparsable value,
/// written by hand or by another tool). Nothing runs over such a journal: the runner reports it (exit 1).</summary>
public sealed class CorruptJournalException : Exception
{
    public CorruptJournalException()
    {
    }

    public CorruptJournalException(string message)
        : base(message)
    {
    }

    public CorruptJournalException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The version of the unreadable row, when it could be read.</summary>
    public string? Version { get; init; }
}

/// <summary>The journal change that commits together with a transactional migration: write a row (up) or
/// delete one (down).</summary>
public sealed record JournalChange(JournalEntry? Write, string? DeleteVersion)
{
    public static JournalChange Record(JournalEntry entry) => new(entry, null);

    public static JournalChange Remove(string version) => new(null, version);
}
