namespace Stepwise.Sql;

/// <summary>What a token is. Whitespace and comments are tokens too, so the token stream is lossless.</summary>
public enum TokenKind : byte
{
    /// <summary>Spaces, tabs and line breaks.</summary>
    Whitespace,
    /// <summary>-- … to the end of the line (and MySQL # …).</summary>
    LineComment,
    /// <summary>/* … */ (nested in PostgreSQL); MySQL /*! … */ is <see cref="ConditionalComment"/>.</summary>
    BlockComment,
    /// <summary>MySQL /*!50100 … */ executable comment: its body is SQL to MySQL.</summary>
    ConditionalComment,
    /// <summary>An unquoted identifier or keyword.</summary>
    Word,
    /// <summary>"x" (PostgreSQL/SQLite), `x` (MySQL/SQLite), [x] (SQLite).</summary>
    QuotedIdentifier,
    /// <summary>'x', E'x', N'x', B'x', X'x', U&amp;'x', and MySQL "x" (when not ANSI_QUOTES).</summary>
    String,
    /// <summary>$tag$ … $tag$ (PostgreSQL).</summary>
    DollarString,
    /// <summary>A numeric literal.</summary>
    Number,
    /// <summary>$1, ?, :name, @name (SQLite parameters, MySQL variables).</summary>
    Parameter,
    /// <summary>+ - * / &lt; &gt; = ~ ! @ # % ^ &amp; | ` ? :: and their combinations.</summary>
    Operator,
    /// <summary>An opening parenthesis.</summary>
    OpenParen,
    /// <summary>A closing parenthesis.</summary>
    CloseParen,
    /// <summary>An opening bracket, as in array subscripts (SQLite's [name] is a <see cref="QuotedIdentifier"/>).</summary>
    OpenBracket,
    /// <summary>A closing bracket.</summary>
    CloseBracket,
    /// <summary>A comma.</summary>
    Comma,
    /// <summary>A dot (between the parts of a qualified name).</summary>
    Dot,
    /// <summary>A semicolon, the usual statement terminator.</summary>
    Semicolon,
    /// <summary>A colon on its own (not part of :: or a :name parameter).</summary>
    Colon,
    /// <summary>A psql backslash command, to the end of the line: \set, \connect, \i ….</summary>
    MetaCommand,
    /// <summary>A MySQL client DELIMITER directive line, e.g. "DELIMITER $$".</summary>
    Delimiter,
    /// <summary>A statement terminator set by DELIMITER (e.g. "$$" or "//").</summary>
    CustomTerminator,
    /// <summary>A character no rule matches; never fatal.</summary>
    Unknown,
}

/// <summary>Extra facts about a token.</summary>
[Flags]
public enum TokenFlags : byte
{
    /// <summary>Nothing special.</summary>
    None = 0,

    /// <summary>A string, quoted identifier, dollar string or comment that reaches the end of input.</summary>
    Unterminated = 1,
}

/// <summary>One token: a kind and a span in the source text. Tokens of a lex concatenate back to the input.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Start">Offset of its first character in the source.</param>
/// <param name="Length">Its length in characters (never 0).</param>
/// <param name="Flags">Extra facts, such as <see cref="TokenFlags.Unterminated"/>.</param>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] // 12 bytes, not 16: large inputs have millions
public readonly record struct Token(TokenKind Kind, int Start, int Length, TokenFlags Flags = TokenFlags.None)
{
    /// <summary>Offset one past its last character.</summary>
    public int End => Start + Length;

    /// <summary>The token's range in the source.</summary>
    public TextSpan Span => new(Start, Length);

    /// <summary>Whitespace or an ordinary comment: not significant to a statement. A MySQL conditional comment is
    /// not trivia (its body is SQL to MySQL).</summary>
    public bool IsTrivia => Kind is TokenKind.Whitespace or TokenKind.LineComment or TokenKind.BlockComment;

    /// <summary>The token reaches the end of the input without its closing quote or comment end.</summary>
    public bool IsUnterminated => (Flags & TokenFlags.Unterminated) != 0;
}
