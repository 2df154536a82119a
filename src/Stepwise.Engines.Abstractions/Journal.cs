namespace Stepwise.Engines;

/// <summary>What the journal says of one migration.</summary>
public enum JournalState
{
    /// <summary>Fully applied.</summary>
    Applied,

    /// <summary>A statement failed; nothing more runs until <c>repair</c> or <c>force</c>.</summary>
    Failed,

    /// <summary>Started outside a transaction and not finished: in progress under another runner's lock, or the
    /// runner died (kill -9, lost connection) and the next <c>up</c> resumes after the last recorded statement.</summary>
    Running,

    /// <summary>An expand/contract migration whose expand phase is done: the old and the new release both run
    /// until <c>complete</c> (contract) or <c>abort</c>. Its row holds the plan (<see cref="JournalEntry.Plan"/>).</summary>
    Expanded,

    /// <summary>An expand/contract migration whose contract phase started (<c>complete</c>) and did not finish;
    /// <see cref="JournalEntry.StatementsDone"/> counts the contract steps done.</summary>
    Completing,

    /// <summary>An expand/contract migration whose abort started and did not finish;
    /// <see cref="JournalEntry.StatementsDone"/> counts the abort steps done.</summary>
    Aborting,
}

/// <summary>A row of the journal table.</summary>
public sealed record JournalEntry
{
    /// <summary>The migration's version as journaled (Flyway repeatables: <c>R__name</c>; baselines: <c>B1</c>).</summary>
    public required string Version { get; init; }

    /// <summary>The migration's name.</summary>
    public required string Name { get; init; }

    /// <summary>The checksum of the file that ran.</summary>
    public required string Checksum { get; init; }

    /// <summary>Its state.</summary>
    public required JournalState State { get; init; }

    /// <summary>When the row was last written (UTC).</summary>
    public DateTimeOffset AppliedAt { get; init; }

    /// <summary>How long the migration took.</summary>
    public long DurationMs { get; init; }

    /// <summary>Who ran it.</summary>
    public string AppliedBy { get; init; } = string.Empty;

    /// <summary>Statements completed (for migrations run statement by statement).</summary>
    public int StatementsDone { get; init; }

    /// <summary>0-based index of the failed statement.</summary>
    public int? FailedStatementIndex { get; init; }

    /// <summary>The failed statement's text.</summary>
    public string? FailedStatement { get; init; }

    /// <summary>The database's message for the failure.</summary>
    public string? Error { get; init; }

    /// <summary>For an expand/contract migration: its stored plan (JSON), written when expand starts, so
    /// <c>complete</c> and <c>abort</c> run exactly what expand prepared; null for every other migration.</summary>
    public string? Plan { get; init; }

    /// <summary>The journal's text for a state.</summary>
    public static string StateName(JournalState state) => state switch
    {
        JournalState.Failed => "failed",
        JournalState.Running => "running",
        JournalState.Expanded => "expanded",
        JournalState.Completing => "completing",
        JournalState.Aborting => "aborting",
        _ => "applied",
    };

    /// <summary>A state from the journal's text; false for text this release does not know (a corrupt or newer journal).</summary>
    public static bool TryParseState(string? text, out JournalState state)
    {
        switch (text)
        {
            case "applied":
                state = JournalState.Applied;
                return true;
            case "failed":
                state = JournalState.Failed;
                return true;
            case "running":
                state = JournalState.Running;
                return true;
            case "expanded":
                state = JournalState.Expanded;
                return true;
            case "completing":
                state = JournalState.Completing;
                return true;
            case "aborting":
                state = JournalState.Aborting;
                return true;
            default:
                state = JournalState.Failed;
                return false;
        }
    }
}

/// <summary>The journal change that commits together with a transactional unit: write a row (up) or delete one
/// (down), or nothing (<see cref="None"/>: another tool's history row is one of the statements).</summary>
/// <param name="Write">The row to write, or null.</param>
/// <param name="DeleteVersion">The version whose row to delete, or null.</param>
public sealed record JournalChange(JournalEntry? Write, string? DeleteVersion)
{
    /// <summary>No change to Stepwise's journal (EF Core migrations keep their own history table).</summary>
    public static readonly JournalChange None = new(null, null);

    /// <summary>True for <see cref="None"/>: the transaction holds the statements only.</summary>
    public bool IsNone => Write is null && DeleteVersion is null;

    /// <summary>Write this row.</summary>
    public static JournalChange Record(JournalEntry entry) => new(entry, null);

    /// <summary>Delete this version's row.</summary>
    public static JournalChange Remove(string version) => new(null, version);
}

/// <summary>The journal table on the working session.</summary>
public interface IJournalStore
{
    /// <summary>Creates the journal, or upgrades one written by an earlier release in place (adds the columns of
    /// <see cref="JournalSchema"/> it lacks). Returns the schema version found before (0: there was none).</summary>
    Task<int> EnsureAsync(CancellationToken cancellationToken);

    /// <summary>The journal's rows; empty when the table does not exist yet. A row this release cannot read
    /// (an unknown state) makes it throw <see cref="CorruptJournalException"/>.</summary>
    Task<IReadOnlyList<JournalEntry>> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a row.</summary>
    Task WriteAsync(JournalEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes a version's row.</summary>
    Task DeleteAsync(string version, CancellationToken cancellationToken);
}

/// <summary>A journal row this release cannot read: nothing may run until someone looks at it.</summary>
public sealed class CorruptJournalException : Exception
{
    /// <summary>Names the row and what is wrong with it.</summary>
    public CorruptJournalException(string version, string problem)
        : base($"{version}: {problem}")
    {
        Version = version;
        Problem = problem;
    }

    /// <summary>Not used: a corrupt row always has a version.</summary>
    public CorruptJournalException()
    {
        Version = string.Empty;
        Problem = string.Empty;
    }

    /// <summary>Not used: a corrupt row always has a version.</summary>
    public CorruptJournalException(string message)
        : base(message)
    {
        Version = string.Empty;
        Problem = message;
    }

    /// <summary>Not used: a corrupt row always has a version.</summary>
    public CorruptJournalException(string message, Exception inner)
        : base(message, inner)
    {
        Version = string.Empty;
        Problem = message;
    }

    /// <summary>The version of the unreadable row.</summary>
    public string Version { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
