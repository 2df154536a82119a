namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Reads the comment directives at the top of a script, before its first statement.
/// Recognised "run me outside a transaction" directives:
/// <c>-- stepwise:no-transaction</c> (Stepwise's own) and <c>-- atlas:txmode none</c> (Atlas).
/// golang-migrate has no per-file marker (x-multi-statement is a connection option), so none is read for it.
/// </summary>
internal static class ScriptDirectives
{
    private static readonly string[] s_noTransaction = ["stepwise:no-transaction", "atlas:txmode none"];

    /// <summary>The directive asking for no transaction, as written ("-- stepwise:no-transaction"), or null.</summary>
    public static string? FindNoTransaction(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
            }
            else if (StartsWith(text, i, "--") || ch == '#')
            {
                var end = text.IndexOf('\n', i);
                if (end < 0)
                {
                    end = text.Length;
                }

                if (ch == '-')
                {
                    var body = text.AsSpan(i + 2, end - i - 2).Trim();
                    foreach (var directive in s_noTransaction)
                    {
                        if (IsDirective(body, directive))
                        {
                            return "-- " + directive;
                        }
                    }
                }

                i = end;
            }
            else if (StartsWith(text, i, "/*"))
            {
                i = SkipBlockComment(text, i);
            }
            else
            {
                return null;
            }
        }

        return null;
    }

    // Words in a directive are separated by any run of spaces; case is ignored.
    private static bool IsDirective(ReadOnlySpan<char> body, string directive)
    {
        var expected = directive.AsSpan();
        var space = expected.IndexOf(' ');
        if (space < 0)
        {
            return body.Equals(expected, StringComparison.OrdinalIgnoreCase);
        }

        if (!body.StartsWith(expected[..space], StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = body[space..];
        return rest.Length > rest.TrimStart().Length
            && rest.TrimStart().Equals(expected[(space + 1)..], StringComparison.OrdinalIgnoreCase);
    }

    // Nested like PostgreSQL's; an unterminated comment runs to the end.
    private static int SkipBlockComment(string text, int start)
    {
        var depth = 0;
        var i = start;
        while (i < text.Length)
        {
            if (StartsWith(text, i, "/*"))
            {
                depth++;
                i += 2;
            }
            else if (StartsWith(text, i, "*/"))
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

        return text.Length;
    }

    private static bool StartsWith(string text, int index, string value) =>
        string.CompareOrdinal(text, index, value, 0, value.Length) == 0;
}
