using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

/// <summary>Token-level access for rules that need more than the statement model: a keyword the parser
/// does not keep, string literals, the terminator after a statement.</summary>
internal static class StatementTokens
{
    /// <summary>The token array a statement's token indexes point into: the script's, or the body's for a
    /// statement inside a DO block or function body.</summary>
    public static Token[] ArrayOf(Statement statement, ParsedScript script)
    {
        if (statement.Context is null)
        {
            return script.Tokens;
        }

        foreach (var top in script.Statements)
        {
            if (BodyOf(top) is { } body && body.Span.Start <= statement.Span.Start && statement.Span.End <= body.Span.End)
            {
                return body.Tokens;
            }
        }

        return [];
    }

    public static ProceduralBody? BodyOf(Statement statement) => statement switch
    {
        DoStatement d => d.Body,
        CreateFunctionStatement f => f.Body,
        _ => null,
    };

    /// <summary>The statement's tokens without whitespace and comments.</summary>
    public static List<Token> Significant(Statement statement, ParsedScript script)
    {
        var tokens = ArrayOf(statement, script);
        var list = new List<Token>();
        for (var i = statement.FirstToken; i < statement.EndToken && i < tokens.Length; i++)
        {
            if (!tokens[i].IsTrivia)
            {
                list.Add(tokens[i]);
            }
        }

        return list;
    }

    /// <summary>The significant tokens of the statement that lie inside the span.</summary>
    public static List<Token> Within(Statement statement, ParsedScript script, TextSpan span) =>
        Significant(statement, script).Where(t => t.Start >= span.Start && t.End <= span.End).ToList();

    public static bool IsWord(SourceText source, Token token, string word) =>
        token.Kind == TokenKind.Word && source.Slice(token.Span).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The position just after a top-level statement's `;`, or null when it has none (last
    /// statement without a terminator) or lives inside a body.</summary>
    public static int? AfterTerminator(Statement statement, ParsedScript script)
    {
        if (statement.Context is not null)
        {
            return null;
        }

        for (var i = statement.EndToken; i < script.Tokens.Length; i++)
        {
            var t = script.Tokens[i];
            if (t.Kind == TokenKind.Semicolon)
            {
                return t.End;
            }

            if (!t.IsTrivia)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The value of a plain or E'' string literal, or null for other literals (bit strings,
    /// hex, U&amp;'' escapes) whose value this does not decode.</summary>
    public static string? StringValue(SourceText source, Token token)
    {
        if (token.Kind != TokenKind.String || token.IsUnterminated)
        {
            return null;
        }

        var text = source.ToString(token.Span);
        var quote = text.IndexOf('\'', StringComparison.Ordinal);
        if (quote < 0 || text.Length < quote + 2 || text[^1] != '\'')
        {
            return null;
        }

        var prefix = text[..quote];
        var inner = text.Substring(quote + 1, text.Length - quote - 2);
        if (prefix.Length == 0 || prefix is "N" or "n")
        {
            return inner.Replace("''", "'", StringComparison.Ordinal);
        }

        if (prefix is "E" or "e")
        {
            // enough of E'' to compare labels: \' and '' are quotes, \\ is a backslash
            return inner.Replace("''", "'", StringComparison.Ordinal).Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        return null;
    }

    /// <summary>1-based line of a position, for messages that point at another statement.</summary>
    public static int Line(RuleContext context, int position) => context.Source.GetLinePosition(position).Line;

    /// <summary>The line of the BEGIN / START TRANSACTION that opened the current explicit transaction.</summary>
    public static int? OpenTransactionLine(RuleContext context)
    {
        for (var i = context.Statements.Count - 1; i >= 0; i--)
        {
            if (context.Statements[i] is TransactionStatement { Context: null, Operation: TransactionOperation.Begin } begin)
            {
                return Line(context, begin.Span.Start);
            }
        }

        return null;
    }

    // PostgreSQL's reserved key words: a name spelled like one must be quoted
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case", "cast", "check", "collate",
        "column", "constraint", "create", "current_catalog", "current_date", "current_role", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for",
        "foreign", "from", "grant", "group", "having", "in", "initially", "intersect", "into", "lateral", "leading", "limit",
        "localtime", "localtimestamp", "not", "null", "offset", "on", "only", "or", "order", "placing", "primary", "references",
        "returning", "select", "session_user", "some", "symmetric", "table", "then", "to", "trailing", "true", "union", "unique",
        "user", "using", "variadic", "when", "where", "window", "with",
    };

    /// <summary>True for a lower-case, non-reserved name that needs no quoting in generated SQL.</summary>
    public static bool IsPlainName(string name)
    {
        if (name.Length == 0 || name.Length > 63 || !(char.IsAsciiLetterLower(name[0]) || name[0] == '_') || Reserved.Contains(name))
        {
            return false;
        }

        foreach (var ch in name)
        {
            if (!(char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
