using System.Globalization;
using System.Text;

namespace Stepwise.Analysis.Reporting;

/// <summary>A pull-request comment: a heading with counts, a table, then the details of each finding.</summary>
internal static class MarkdownReportWriter
{
    // a statement-sized span can be long; the comment shows its first lines only
    private const int MaxSourceLines = 12;

    public static void Write(LintReport report, TextWriter output, ReportOptions options)
    {
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rule in options.Rules)
        {
            if (!string.IsNullOrEmpty(rule.DocUri))
            {
                docs.TryAdd(rule.Name, rule.DocUri);
            }
        }

        var sb = new StringBuilder();
        if (report.Findings.Count == 0)
        {
            sb.Append("### :white_check_mark: Stepwise lint\n\n");
            sb.Append(ReportSummary.Line(report)).Append('\n');
            output.Write(sb.ToString());
            return;
        }

        sb.Append("### Stepwise lint: ").Append(ReportSummary.Line(report)).Append("\n\n");
        sb.Append("| Severity | Rule | Location | Message |\n");
        sb.Append("| --- | --- | --- | --- |\n");
        foreach (var finding in report.Findings)
        {
            sb.Append("| ").Append(SeverityLabel(finding.Severity))
                .Append(" | ").Append(RuleCell(finding.Rule, docs))
                .Append(" | ").Append(InlineCode(Location(finding)))
                .Append(" | ").Append(TableCell(ReportSummary.MessageWithSize(finding)))
                .Append(" |\n");
        }

        foreach (var finding in report.Findings)
        {
            sb.Append('\n');
            AppendDetails(sb, finding);
        }

        output.Write(sb.ToString());
    }

    private static void AppendDetails(StringBuilder sb, Finding finding)
    {
        sb.Append("<details>\n<summary>")
            .Append(finding.Severity.Name())
            .Append(" <code>").Append(OneLine(finding.Rule)).Append("</code> at <code>")
            .Append(OneLine(Location(finding))).Append("</code></summary>\n\n");

        sb.Append(OneLine(ReportSummary.MessageWithSize(finding))).Append("\n\n");

        var source = SourceLines(finding);
        var fence = Fence(source);
        sb.Append(fence).Append("sql\n").Append(source).Append('\n').Append(fence).Append("\n\n");

        if (finding.Help.Length > 0)
        {
            sb.Append("**Help:** ").Append(OneLine(finding.Help)).Append("\n\n");
        }

        if (finding.Fix is { } fix)
        {
            sb.Append("**Fix:** ").Append(OneLine(fix.Title)).Append("\n\n");
        }

        sb.Append("</details>\n");
    }

    private static string Location(Finding finding)
    {
        var start = finding.Start;
        return string.Create(CultureInfo.InvariantCulture, $"{ReportSummary.ForwardSlashes(finding.Path)}:{start.Line}:{start.Column}");
    }

    private static string SeverityLabel(Severity severity) => severity switch
    {
        Severity.Error => ":x: error",
        Severity.Warning => ":warning: warning",
        _ => ":information_source: info",
    };

    private static string RuleCell(string rule, Dictionary<string, string> docs)
    {
        var code = InlineCode(rule);
        return docs.TryGetValue(rule, out var uri) ? $"[{code}]({uri.Replace(")", "%29", StringComparison.Ordinal)})" : code;
    }

    /// <summary>The lines the span touches (a span ending at a line start does not touch that line).</summary>
    private static string SourceLines(Finding finding)
    {
        var start = finding.Start;
        var end = finding.End;
        var last = end.Line > start.Line && end.Column == 1 ? end.Line - 1 : end.Line;
        var shown = Math.Min(last, start.Line + MaxSourceLines - 1);

        var sb = new StringBuilder();
        for (var line = start.Line; line <= shown; line++)
        {
            if (line > start.Line)
            {
                sb.Append('\n');
            }

            sb.Append(finding.Source.GetLineText(line));
        }

        if (shown < last)
        {
            sb.Append("\n-- … ").Append(ReportSummary.Plural(last - shown, "more line"));
        }

        return sb.ToString();
    }

    /// <summary>A code fence longer than any run of backticks inside, so the source cannot close it.</summary>
    private static string Fence(string text) => new('`', Math.Max(3, LongestRun(text, '`') + 1));

    /// <summary>An inline code span that survives backticks and pipes in the text.</summary>
    private static string InlineCode(string text)
    {
        var ticks = new string('`', LongestRun(text, '`') + 1);
        // a code span shows entities literally, so it is not HTML-encoded; GFM still needs \| in a table
        var body = text.ReplaceLineEndings(" ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
        var pad = body.StartsWith('`') || body.EndsWith('`') ? " " : string.Empty;
        return ticks + pad + body + pad + ticks;
    }

    /// <summary>Text inside a table cell: one line, no pipe that would split the cell, no raw HTML.</summary>
    private static string TableCell(string text) =>
        OneLine(text).Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>One line with no raw HTML; quotes stay readable in the comment's source.</summary>
    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim()
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
