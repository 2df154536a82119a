namespace Stepwise.Engines;

/// <summary>Why a database call failed, as the engine classifies it (the runner never matches error codes).</summary>
public enum ErrorKind
{
    /// <summary>The database rejected the statement (syntax, constraint, permissions …).</summary>
    Statement,

    /// <summary>It waited too long for a lock: safe to retry after a pause.</summary>
    LockTimeout,

    /// <summary>It ran longer than the statement timeout and was cancelled by the server.</summary>
    StatementTimeout,

    /// <summary>The connection broke (server gone, backend terminated, network), or could not be opened.</summary>
    ConnectionLost,

    /// <summary>What it creates exists already (a table, column, index, constraint, schema …).</summary>
    AlreadyExists,

    /// <summary>What it drops or alters does not exist (already dropped, never created).</summary>
    DoesNotExist,
}

/// <summary>Raised by engines; the runner turns it into a typed result. The message carries no password.</summary>
public sealed class EngineException : Exception
{
    /// <summary>A classified failure.</summary>
    public EngineException(ErrorKind kind, string message, string? sqlState = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        SqlState = sqlState;
    }

    /// <summary>A statement failure with no further detail.</summary>
    public EngineException()
    {
    }

    /// <summary>A statement failure with a message.</summary>
    public EngineException(string message)
        : base(message)
    {
    }

    /// <summary>A statement failure with a message and its cause.</summary>
    public EngineException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>How the engine classified the failure.</summary>
    public ErrorKind Kind { get; }

    /// <summary>PostgreSQL's SQLSTATE, MySQL's error number or SQLite's result code, when there is one.</summary>
    public string? SqlState { get; }

    /// <summary>Index of the failing statement within what was sent, when known.</summary>
    public int? StatementIndex { get; init; }

    /// <summary>The same failure, pinned to a statement index.</summary>
    public EngineException At(int? statementIndex) =>
        new(Kind, Message, SqlState, InnerException) { StatementIndex = statementIndex };
}
