namespace Stepwise.Analysis;

/// <summary>
/// Lines of tool output before the first SQL statement ("Build started...", "info: …", "npm WARN …",
/// "> drizzle-kit generate"): a line whose first word starts no SQL statement, or that starts with '[' or
/// '>'. Left in place they would be read as the start of the first statement and hide it from every rule,
/// so the linter blanks them and reports them. Only lines before the first statement are looked at.
/// </summary>
internal static class Chatter
{
    // words a statement of PostgreSQL, MySQL/MariaDB or SQLite can start with (and T-SQL's GO, which
    // `dotnet ef migrations script` writes)
    private static readonly HashSet<string> StatementWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ABORT", "ALTER", "ANALYSE", "ANALYZE", "ATTACH", "BEGIN", "BINLOG", "CACHE", "CALL", "CHANGE", "CHECK", "CHECKPOINT",
        "CHECKSUM", "CLONE", "CLOSE", "CLUSTER", "COMMENT", "COMMIT", "COPY", "CREATE", "DEALLOCATE", "DECLARE", "DELETE",
        "DELIMITER", "DESC", "DESCRIBE", "DETACH", "DISCARD", "DO", "DROP", "END", "EXECUTE", "EXPLAIN", "FETCH", "FLUSH",
        "GET", "GO", "GRANT", "HANDLER", "HELP", "IMPORT", "INSERT", "INSTALL", "KILL", "LISTEN", "LOAD", "LOCK", "MERGE",
        "MOVE", "NOTIFY", "OPTIMIZE", "PRAGMA", "PREPARE", "PURGE", "REASSIGN", "REFRESH", "REINDEX", "RELEASE", "RENAME",
        "REPAIR", "REPLACE", "RESET", "RESIGNAL", "REVOKE", "ROLLBACK", "SAVEPOINT", "SECURITY", "SELECT", "SET", "SHOW",
        "SHUTDOWN", "SIGNAL", "START", "STOP", "TABLE", "TRUNCATE", "UNINSTALL", "UNLISTEN", "UNLOCK", "UPDATE", "USE",
        "VACUUM", "VALUES", "WITH", "XA",
    };

    /// <summary>The [start, end) spans of the chatter lines (line break excluded), in order; empty when the
    /// text starts with SQL, a comment or anything else.</summary>
    public static List<(int Start, int End)> Find(string text)
    {
        var lines = new List<(int, int)>();
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
                continue;
            }

            if (ch == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                i = LineEnd(text, i);
                continue;
            }

            if (ch == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    break;
                }

                i = close + 2;
                continue;
            }

            if (!IsChatterStart(text, i))
            {
                break;
            }

            var lineStart = text.LastIndexOf('\n', i) + 1;
            var end = LineEnd(text, i);
            lines.Add((lineStart, end > lineStart && text[end - 1] == '\r' ? end - 1 : end));
            i = end;
        }

        return lines;
    }

    /// <summary>The text with the spans replaced by spaces (so positions stay right).</summary>
    public static string Blank(string text, List<(int Start, int End)> spans)
    {
        var chars = text.ToCharArray();
        foreach (var (start, end) in spans)
        {
            Array.Fill(chars, ' ', start, end - start);
        }

        return new string(chars);
    }

    private static bool IsChatterStart(string text, int i)
    {
        var ch = text[i];
        if (ch is '[' or '>')
        {
            return true;
        }

        if (!char.IsAsciiLetter(ch))
        {
            return false;
        }

        var end = i;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return !StatementWords.Contains(text[i..end]);
    }

    private static int LineEnd(string text, int i)
    {
        var newline = text.IndexOf('\n', i);
        return newline < 0 ? text.Length : newline;
    }
}
