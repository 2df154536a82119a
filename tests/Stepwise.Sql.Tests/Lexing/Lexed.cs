using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>Small views of lexer and splitter output that read well in assertions.</summary>
internal static class Lexed
{
    public static Token[] Tokens(string text, SqlDialect dialect)
    {
        var tokens = SqlLexer.Tokenize(text, dialect);
        var failure = SplitInvariants.CheckTokens(text, tokens);
        Assert.True(failure is null, failure);
        return tokens;
    }

    /// <summary>The tokens that are not whitespace, as (kind, text).</summary>
    public static (TokenKind Kind, string Text)[] Significant(string text, SqlDialect dialect) =>
        Tokens(text, dialect)
            .Where(t => t.Kind != TokenKind.Whitespace)
            .Select(t => (t.Kind, text.Substring(t.Start, t.Length)))
            .ToArray();

    /// <summary>The single token of an input that lexes as exactly one token.</summary>
    public static (TokenKind Kind, TokenFlags Flags) Single(string text, SqlDialect dialect)
    {
        var tokens = Tokens(text, dialect);
        Assert.True(tokens.Length == 1, $"expected one token, got {tokens.Length}: {Describe(text, tokens)}");
        return (tokens[0].Kind, tokens[0].Flags);
    }

    public static SplitResult Split(string text, SqlDialect dialect, SplitOptions? options = null)
    {
        var result = StatementSplitter.Split(text, dialect, options);
        var failure = SplitInvariants.Check(text, result);
        Assert.True(failure is null, failure);
        return result;
    }

    public static string[] Statements(string text, SqlDialect dialect, SplitOptions? options = null) =>
        Texts(text, Split(text, dialect, options));

    public static string[] Texts(string text, SplitResult result) =>
        result.Statements.Select(s => text.Substring(s.Span.Start, s.Span.Length)).ToArray();

    public static string Describe(string text, Token[] tokens) =>
        string.Join(" ", tokens.Select(t => $"{t.Kind}[{text.Substring(t.Start, t.Length)}]"));
}
