namespace Stepwise.Sql.Lexing;

/// <summary>Character classes shared by the dialect lexers.</summary>
internal static class LexChars
{
    public static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    public static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    public static bool IsHexDigit(char c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a';

    public static bool IsNewline(char c) => c is '\n' or '\r';

    /// <summary>Space, tab, line feed, carriage return, form feed, vertical tab: whitespace in all three dialects.</summary>
    public static bool IsSpace(char c) => c == ' ' || (uint)(c - '\t') <= '\r' - '\t';

    public static bool IsHorizontalSpace(char c) => c is ' ' or '\t' or '\f' or '\v';

    /// <summary>Letters, underscore and any non-ASCII character may start an identifier (every dialect).</summary>
    public static bool IsIdentStart(char c) => IsAsciiLetter(c) || c == '_' || c >= 0x80;

    /// <summary>Identifier continuation: start characters, digits and '$' (all three dialects agree).</summary>
    public static bool IsIdentPart(char c) => IsIdentStart(c) || IsDigit(c) || c == '$';

    public static int SkipSpaces(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && IsSpace(s[pos]))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>The end of the line that contains <paramref name="pos"/>, before its line break.</summary>
    public static int EndOfLine(ReadOnlySpan<char> s, int pos)
    {
        var rest = s[pos..];
        var index = rest.IndexOfAny('\n', '\r');
        return index < 0 ? s.Length : pos + index;
    }

    public static int SkipIdentParts(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && IsIdentPart(s[pos]))
        {
            pos++;
        }

        return pos;
    }

    /// <summary>End of a quoted run opened at <paramref name="pos"/> where a doubled quote is an escape.
    /// Returns the index after the closing quote, or the text length when unterminated.</summary>
    public static int SkipDoubledQuoted(ReadOnlySpan<char> s, int pos, char quote, out bool terminated)
    {
        var i = pos + 1;
        while (true)
        {
            var index = s[i..].IndexOf(quote);
            if (index < 0)
            {
                terminated = false;
                return s.Length;
            }

            i += index + 1;
            if (i < s.Length && s[i] == quote)
            {
                i++;
                continue;
            }

            terminated = true;
            return i;
        }
    }

    /// <summary>Like <see cref="SkipDoubledQuoted"/>, but a backslash also escapes the next character.</summary>
    public static int SkipBackslashQuoted(ReadOnlySpan<char> s, int pos, char quote, out bool terminated)
    {
        var i = pos + 1;
        while (true)
        {
            var index = s[i..].IndexOfAny(quote, '\\');
            if (index < 0)
            {
                terminated = false;
                return s.Length;
            }

            i += index;
            if (s[i] == '\\')
            {
                i += 2;
                if (i >= s.Length)
                {
                    terminated = false;
                    return s.Length;
                }

                continue;
            }

            i++;
            if (i < s.Length && s[i] == quote)
            {
                i++;
                continue;
            }

            terminated = true;
            return i;
        }
    }

    /// <summary>End of a run that stops at the first <paramref name="close"/> (no escapes).</summary>
    public static int SkipTo(ReadOnlySpan<char> s, int pos, char close, out bool terminated)
    {
        var index = s[pos..].IndexOf(close);
        terminated = index >= 0;
        return index < 0 ? s.Length : pos + index + 1;
    }

    /// <summary>End of a non-nesting /* comment */ opened at <paramref name="pos"/>.</summary>
    public static int SkipBlockComment(ReadOnlySpan<char> s, int pos, out bool terminated)
    {
        var index = s[(pos + 2)..].IndexOf("*/", StringComparison.Ordinal);
        terminated = index >= 0;
        return index < 0 ? s.Length : pos + 2 + index + 2;
    }
}
