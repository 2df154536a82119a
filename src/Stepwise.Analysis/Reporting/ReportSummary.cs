using System.Globalization;
using System.Text;

namespace Stepwise.Analysis.Reporting;

/// <summary>Wording and path handling shared by the formats.</summary>
internal static class ReportSummary
{
    public static (int Errors, int Warnings, int Infos) Count(LintReport report)
    {
        int errors = 0, warnings = 0, infos = 0;
        foreach (var finding in report.Findings)
        {
            switch (finding.Severity)
            {
                case Severity.Error:
                    errors++;
                    break;
                case Severity.Warning:
                    warnings++;
                    break;
                default:
                    infos++;
                    break;
            }
        }

        return (errors, warnings, infos);
    }

    /// <summary>"2 errors, 1 warning, 0 infos in 3 files", or "No problems found in 3 files."</summary>
    public static string Line(LintReport report)
    {
        var files = Plural(report.Files, "file");
        if (report.Findings.Count == 0)
        {
            return $"No problems found in {files}.";
        }

        var (errors, warnings, infos) = Count(report);
        return $"{Plural(errors, "error")}, {Plural(warnings, "warning")}, {Plural(infos, "info")} in {files}";
    }

    public static string Plural(int count, string noun) =>
        count.ToString(CultureInfo.InvariantCulture) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>The message with the table's size and, when size-aware lint lowered the severity, why
    /// ("… (users: ~12M rows, 3.1 GB)"); the bare message when linted without a database.</summary>
    public static string MessageWithSize(Finding finding)
    {
        var message = finding.Message.Trim();
        if (finding.Size is not { } size)
        {
            return message;
        }

        var note = finding.LoweredBecause is { } because ? $"{size.Text}; info: {because}" : size.Text;
        return message.EndsWith('.') ? $"{message[..^1]} ({note})." : $"{message} ({note})";
    }

    /// <summary>The message (with the table's size, see <see cref="MessageWithSize"/>) followed by the help, as one sentence sequence ("Message. Help").</summary>
    public static string MessageWithHelp(Finding finding)
    {
        var message = MessageWithSize(finding);
        var help = finding.Help.Trim();
        if (help.Length == 0)
        {
            return message;
        }

        if (message.Length == 0)
        {
            return help;
        }

        var last = message[^1];
        return last is '.' or '!' or '?' ? $"{message} {help}" : $"{message}. {help}";
    }

    public static string ForwardSlashes(string path) => path.Replace('\\', '/');

    /// <summary>
    /// A path as a URI reference: '/' separators, still relative when it was, with the characters a URI
    /// cannot hold percent-encoded (SARIF requires artifactLocation.uri to be a valid URI reference).
    /// </summary>
    public static string ToUriReference(string path)
    {
        var slashed = ForwardSlashes(path);
        var prefix = string.Empty;
        if (slashed.Length >= 2 && char.IsAsciiLetter(slashed[0]) && slashed[1] == ':')
        {
            // C:/dir/file.sql would read as scheme "C"; an absolute Windows path is a file URI
            prefix = "file:///";
        }
        else if (slashed.StartsWith("//", StringComparison.Ordinal))
        {
            // a UNC path \\server\share\file
            prefix = "file:";
        }
        else
        {
            var firstSegment = slashed.AsSpan(0, IndexOrLength(slashed, '/'));
            if (firstSegment.Contains(':'))
            {
                // "a:b.sql" would also read as a scheme
                prefix = "./";
            }
        }

        var sb = new StringBuilder(prefix, slashed.Length + prefix.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < slashed.Length; i++)
        {
            var c = slashed[i];
            if (IsUnreserved(c) || c is '/' or ':' or '@' || IsSubDelimiter(c))
            {
                sb.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < slashed.Length && char.IsLowSurrogate(slashed[i + 1])
                ? Encoding.UTF8.GetBytes(slashed.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(slashed.AsSpan(i, 1), utf8);
            for (var b = 0; b < length; b++)
            {
                sb.Append('%').Append(utf8[b].ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static int IndexOrLength(string text, char c)
    {
        var index = text.IndexOf(c, StringComparison.Ordinal);
        return index < 0 ? text.Length : index;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    // legal in a path segment; ':' is too once the prefix above has kept it out of a scheme position
    private static bool IsSubDelimiter(char c) => c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';
}
