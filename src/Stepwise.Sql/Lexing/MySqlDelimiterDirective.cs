namespace Stepwise.Sql.Lexing;

/// <summary>
/// The mysql client's DELIMITER command: recognised at the start of a line when no statement is
/// pending; its first argument (optionally quoted) becomes the statement terminator.
/// </summary>
internal static class MySqlDelimiterDirective
{
    public const string Keyword = "DELIMITER";

    public enum Status
    {
        Valid,
        MissingArgument,
        ContainsBackslash,
    }

    /// <summary>Whether the text at <paramref name="pos"/> is the DELIMITER command word followed by a
    /// space, a tab or the end of the line (the client accepts nothing else after a command name).</summary>
    public static bool StartsAt(ReadOnlySpan<char> s, int pos)
    {
        if (s.Length - pos < Keyword.Length
            || !s.Slice(pos, Keyword.Length).Equals(Keyword, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var after = pos + Keyword.Length;
        return after == s.Length || s[after] is ' ' or '\t' or '\n' or '\r';
    }

    /// <summary>Reads the argument of a directive line (the token text, starting with the keyword).</summary>
    public static Status ReadArgument(ReadOnlySpan<char> line, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        var i = Math.Min(Keyword.Length, line.Length);
        while (i < line.Length && LexChars.IsSpace(line[i]))
        {
            i++;
        }

        if (i >= line.Length)
        {
            return Status.MissingArgument;
        }

        var quote = line[i];
        if (quote is '\'' or '"' or '`')
        {
            var close = line[(i + 1)..].IndexOf(quote);
            offset = i + 1;
            length = close < 0 ? line.Length - offset : close;
        }
        else
        {
            var end = i;
            while (end < line.Length && !LexChars.IsSpace(line[end]))
            {
                end++;
            }

            offset = i;
            length = end - i;
        }

        if (length == 0)
        {
            return Status.MissingArgument;
        }

        return line.Slice(offset, length).Contains('\\') ? Status.ContainsBackslash : Status.Valid;
    }
}
