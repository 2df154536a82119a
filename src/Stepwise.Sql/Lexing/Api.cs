namespace Stepwise.Sql.Lexing;

// The contract of the lexer and the splitter. Implementations: SqlLexer.cs, StatementSplitter.cs.

/// <summary>One statement found by the splitter.</summary>
/// <param name="Span">From the first non-trivia token to the end of the last token before the terminator
/// (the terminator itself excluded). Leading comments and whitespace are not part of the span.</param>
/// <param name="FirstToken">Index of the first non-trivia token in the token array.</param>
/// <param name="EndToken">Index one past the last token of the statement (terminator excluded).</param>
/// <param name="Terminator">Index of the terminating token (';', a DELIMITER terminator, a
/// statement-breakpoint comment, a psql meta-command or a DELIMITER line), or -1 when the input ends
/// without one.</param>
public sealed record RawStatement(TextSpan Span, int FirstToken, int EndToken, int Terminator);

/// <summary>Something the lexer or splitter noticed that is not a statement (never an exception).</summary>
public sealed record SplitIssue(TextSpan Span, string Message);

/// <summary>The result of splitting a source: all tokens (lossless), the statements, and issues.</summary>
public sealed class SplitResult
{
    /// <summary>Bundles the splitter's output.</summary>
    /// <param name="tokens">All tokens of the source.</param>
    /// <param name="statements">The statements, in source order.</param>
    /// <param name="issues">What was noticed along the way.</param>
    public SplitResult(Token[] tokens, IReadOnlyList<RawStatement> statements, IReadOnlyList<SplitIssue> issues)
    {
        Tokens = tokens;
        Statements = statements;
        Issues = issues;
    }

    /// <summary>All tokens of the source, trivia included; they concatenate back to the input.</summary>
    public Token[] Tokens { get; }

    /// <summary>The statements, in source order; their token indexes point into <see cref="Tokens"/>.</summary>
    public IReadOnlyList<RawStatement> Statements { get; }

    /// <summary>psql meta-commands, unterminated strings/comments, DELIMITER misuse, etc.</summary>
    public IReadOnlyList<SplitIssue> Issues { get; }
}

/// <summary>Options of the statement splitter.</summary>
public sealed record SplitOptions
{
    /// <summary>No breakpoint marker: split on terminators only.</summary>
    public static readonly SplitOptions Default = new();

    /// <summary>A line comment whose trimmed text equals this ends the current statement
    /// (Drizzle's "--> statement-breakpoint"). Null: no such marker.</summary>
    public string? BreakpointComment { get; init; }
}
