namespace Stepwise.Sql.Tests.Differential;

/// <summary>
/// Trims whitespace and comments from both ends of an oracle statement. Deliberately independent of the
/// Stepwise lexer (a small forward scanner that knows PostgreSQL quoting), so a lexer bug cannot hide itself.
/// </summary>
internal static class PgTrivia
{
    public static TextSpan Trim(string text, TextSpan span)
    {
        var end = span.End;
        var i = SkipTrivia(text, span.Start, end);
        var start = i;
        var lastEnd = start;
        while (i < end)
        {
            var next = SkipTrivia(text, i, end);
            if (next != i)
            {
                i = next;
                continue;
            }

            i = SkipToken(text, i, end);
            lastEnd = i;
        }

        return TextSpan.FromBounds(start, Math.Max(start, Math.Min(lastEnd, end)));
    }

    /// <summary>True when the span holds nothing but whitespace and comments.</summary>
    public static bool IsBlank(string text, TextSpan span) => Trim(text, span).Length == 0;

    private static int SkipTrivia(string text, int i, int end)
    {
        while (i < end)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
            {
                i++;
            }
            else if (IsLineCommentAt(text, i, end))
            {
                i = SkipLineComment(text, i, end);
            }
            else if (c == '/' && At(text, i + 1, end) == '*')
            {
                i = SkipBlockComment(text, i, end);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static int SkipBlockComment(string text, int i, int end)
    {
        // PostgreSQL block comments nest.
        var depth = 0;
        while (i < end)
        {
            if (text[i] == '/' && At(text, i + 1, end) == '*')
            {
                depth++;
                i += 2;
            }
            else if (text[i] == '*' && At(text, i + 1, end) == '/')
            {
                depth--;
                i += 2;
                if (depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return end;
    }

    private static int SkipToken(string text, int i, int end)
    {
        var c = text[i];
        if (c == '\'')
        {
            return SkipQuoted(text, i, end, '\'', backslashEscapes: false);
        }

        if (c == '"')
        {
            return SkipQuoted(text, i, end, '"', backslashEscapes: false);
        }

        if (c == '$')
        {
            return SkipDollar(text, i, end);
        }

        if (IsIdentifierStart(c))
        {
            var j = i + 1;
            while (j < end && IsIdentifierPart(text[j]))
            {
                j++;
            }

            var next = At(text, j, end);
            if (j == i + 1 && (c == 'e' || c == 'E') && next == '\'')
            {
                return SkipQuoted(text, j, end, '\'', backslashEscapes: true);
            }

            if (j == i + 1 && (c == 'u' || c == 'U') && next == '&' && At(text, j + 1, end) is '\'' or '"')
            {
                return SkipQuoted(text, j + 1, end, text[j + 1], backslashEscapes: false);
            }

            // b'..', x'..', n'..' and any other prefix: the quote starts the next token, ends are what matter.
            return j;
        }

        return i + 1;
    }

    private static int SkipQuoted(string text, int i, int end, char quote, bool backslashEscapes)
    {
        i++;
        while (i < end)
        {
            var c = text[i];
            if (backslashEscapes && c == '\\')
            {
                i += 2;
            }
            else if (c == quote)
            {
                if (At(text, i + 1, end) == quote)
                {
                    i += 2;
                }
                else if (quote == '\'' && ContinuationQuote(text, i + 1, end) is var next and >= 0)
                {
                    // 'a'<newline>'b' is one literal, still in the first part's mode (E'' keeps its escapes).
                    i = next + 1;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return end;
    }

    /// <summary>
    /// Index of the quote that continues a string literal whose closing quote ends at <paramref name="i"/>, or -1.
    /// scan.l's gap: (blank | -- comment)* newline (whitespace | -- comment newline)*. The server follows it; the
    /// scanner in libpg_query 15 does not continue across comments, which only matters for E'' continuations.
    /// </summary>
    private static int ContinuationQuote(string text, int i, int end)
    {
        while (i < end && (text[i] is ' ' or '\t' or '\f' || IsLineCommentAt(text, i, end)))
        {
            i = text[i] == '-' ? SkipLineComment(text, i, end) : i + 1;
        }

        if (i >= end || text[i] is not ('\n' or '\r'))
        {
            return -1;
        }

        i++;
        while (i < end)
        {
            if (text[i] is ' ' or '\t' or '\f' or '\n' or '\r')
            {
                i++;
            }
            else if (IsLineCommentAt(text, i, end) && SkipLineComment(text, i, end) is var after && after < end)
            {
                i = after + 1; // the comment and the newline that ends it
            }
            else
            {
                break;
            }
        }

        return i < end && text[i] == '\'' ? i : -1;
    }

    private static bool IsLineCommentAt(string text, int i, int end) => text[i] == '-' && At(text, i + 1, end) == '-';

    /// <summary>The index of the newline ending the line comment at <paramref name="i"/>, or <paramref name="end"/>.</summary>
    private static int SkipLineComment(string text, int i, int end)
    {
        while (i < end && text[i] != '\n' && text[i] != '\r')
        {
            i++;
        }

        return i;
    }

    private static int SkipDollar(string text, int i, int end)
    {
        // $n is a parameter; $tag$ ... $tag$ is a dollar-quoted string (tag: an identifier without '$').
        var j = i + 1;
        if (j < end && char.IsAsciiDigit(text[j]))
        {
            while (j < end && char.IsAsciiDigit(text[j]))
            {
                j++;
            }

            return j;
        }

        if (j < end && IsIdentifierStart(text[j]))
        {
            j++;
            while (j < end && IsIdentifierPart(text[j]) && text[j] != '$')
            {
                j++;
            }
        }

        if (At(text, j, end) != '$')
        {
            return i + 1;
        }

        var tag = text.AsSpan(i, j + 1 - i);
        var close = text.AsSpan(j + 1, end - (j + 1)).IndexOf(tag, StringComparison.Ordinal);
        return close < 0 ? end : j + 1 + close + tag.Length;
    }

    private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

    private static char At(string text, int i, int end) => i < end ? text[i] : '\0';
}
