namespace Stepwise.Sql;

/// <summary>What a token is. Whitespace and comments are tokens too, so the token stream is lossless.</summary>
public enum TokenKind : byte
{
    Whitespace,
    LineComment,      // -- ... (and MySQL # ...)
    BlockComment,     // /* ... */ (nested in PostgreSQL); MySQL /*! ... */ is ConditionalComment
    ConditionalComment, // MySQL /*!50100 ... */ executable comment: its body is SQL to MySQL
    Word,             // unquoted identifier or keyword
    QuotedIdentifier, // "x" (PostgreSQL/SQLite), `x` (MySQL/SQLite), [x] (SQLite)
    String,           // 'x', E'x', N'x', B'x', X'x', U&'x', MySQL "x" (when not ANSI_QUOTES)
    DollarString,     // $tag$ ... $tag$ (PostgreSQL)
    Number,
    Parameter,        // $1, ?, :name, @name (sqlite/mysql variables)
    Operator,         // + - * / < > = ~ ! @ # % ^ & | ` ? :: and combinations
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Dot,
    Semicolon,
    Colon,
    MetaCommand,      // psql backslash command, to end of line: \set, \connect, \i ...
    Delimiter,        // MySQL client DELIMITER directive line, e.g. "DELIMITER $$"
    CustomTerminator, // a statement terminator set by DELIMITER (e.g. "$$" or "//")
    Unknown,          // a character no rule matches; never fatal
}

[Flags]
public enum TokenFlags : byte
{
    None = 0,

    /// <summary>A string, quoted identifier, dollar string or comment that reaches the end of input.</summary>
    Unterminated = 1,
}

/// <summary>One token: a kind and a span in the source text. Tokens of a lex concatenate back to the input.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] // 12 bytes, not 16: large inputs have millions
public readonly record struct Token(TokenKind Kind, int Start, int Length, TokenFlags Flags = TokenFlags.None)
{
    public int End => Start + Length;

    public TextSpan Span => new(Start, Length);

    public bool IsTrivia => Kind is TokenKind.Whitespace or TokenKind.LineComment or TokenKind.BlockComment;

    public bool IsUnterminated => (Flags & TokenFlags.Unterminated) != 0;
}
