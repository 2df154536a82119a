using System.Globalization;
using System.Text;

namespace Stepwise.Analysis.Reporting;

/// <summary>GitHub Actions workflow commands, one annotation per finding.</summary>
internal static class GitHubReportWriter
{
    public static void Write(LintReport report, TextWriter output)
    {
        foreach (var finding in report.Findings)
        {
            var start = finding.Start;
            var end = finding.End;
            var command = finding.Severity switch
            {
                Severity.Error => "error",
                Severity.Warning => "warning",
                _ => "notice",
            };

            var line = string.Create(
                CultureInfo.InvariantCulture,
                $"::{command} file={EscapeProperty(ReportSummary.ForwardSlashes(finding.Path))},line={start.Line},col={start.Column},endLine={end.Line},endColumn={end.Column},title={EscapeProperty(finding.Rule)}::{EscapeData(ReportSummary.MessageWithHelp(finding))}");
            output.Write(line);
            output.Write('\n');
        }

        // not a command: the runner shows it as a plain log line
        output.Write(ReportSummary.Line(report));
        output.Write('\n');
    }

    /// <summary>The message part: '%', CR and LF are what the runner would otherwise interpret.</summary>
    internal static string EscapeData(string text) => Escape(text, property: false);

    /// <summary>A property value: also ':' and ',' which separate properties and end the list.</summary>
    internal static string EscapeProperty(string text) => Escape(text, property: true);

    private static string Escape(string text, bool property)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '%' => sb.Append("%25"),
                '\r' => sb.Append("%0D"),
                '\n' => sb.Append("%0A"),
                ':' when property => sb.Append("%3A"),
                ',' when property => sb.Append("%2C"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }
}
