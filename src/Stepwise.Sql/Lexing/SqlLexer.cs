namespace Stepwise.Sql.Lexing;

/// <summary>
/// Lossless lexers for PostgreSQL, MySQL/MariaDB and SQLite. The tokens of a lex are non-empty,
/// contiguous, start at 0 and concatenate back to the input. Lexing never throws and runs in linear time;
/// anything unexpected becomes an <see cref="TokenKind.Unknown"/> token or an unterminated flag.
/// </summary>
public static class SqlLexer
{
    /// <summary>Lexes a whole text; an empty (or null) text gives no tokens.</summary>
    public static Token[] Tokenize(string text, SqlDialect dialect) => Tokenize(text, dialect, breakpoint: null);

    /// <summary>With a statement-breakpoint marker starting with "--", MySQL lexes a line that reads exactly
    /// like the marker as a comment even though "-->" is not a MySQL comment (Drizzle writes it anyway).</summary>
    internal static Token[] Tokenize(string? text, SqlDialect dialect, string? breakpoint)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        return dialect switch
        {
            SqlDialect.MySql => MySqlLexer.Tokenize(text, breakpoint),
            SqlDialect.Sqlite => SqliteLexer.Tokenize(text),
            _ => PostgreSqlLexer.Tokenize(text),
        };
    }
}
