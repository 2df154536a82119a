using System.Globalization;
using System.Text;

namespace Stepwise.Analysis.Reporting;

/// <summary>
/// The human format: location and message, the source line with a caret under the span, the help,
/// then a one-line summary.
/// </summary>
internal static class TextReportWriter
{
    private const int TabWidth = 4;

    public static void Write(LintReport report, TextWriter output, ReportOptions options)
    {
        var style = new Style(options.Color);
        foreach (var finding in report.Findings)
        {
            WriteFinding(finding, output, style);
            output.Write('\n');
        }

        output.Write(style.Bold(ReportSummary.Line(report)));
        output.Write('\n');
    }

    private static void WriteFinding(Finding finding, TextWriter output, Style style)
    {
        var start = finding.Start;
        var end = finding.End;
        var severity = finding.Severity;

        output.Write(style.Bold(string.Create(CultureInfo.InvariantCulture, $"{finding.Path}:{start.Line}:{start.Column}:")));
        output.Write(' ');
        output.Write(style.Severity(severity, $"{severity.Name()}[{finding.Rule}]"));
        output.Write(' ');
        output.Write(style.Bold(finding.Message));
        output.Write('\n');

        var lineNumber = start.Line.ToString(CultureInfo.InvariantCulture);
        var gutter = new string(' ', lineNumber.Length);
        var lineText = finding.Source.GetLineText(start.Line);

        // the underline covers the span's part of its first line, at least one column
        var from = Math.Clamp(start.Column - 1, 0, lineText.Length);
        var to = end.Line == start.Line ? Math.Clamp(end.Column - 1, from, lineText.Length) : lineText.Length;
        var (display, caretStart, caretEnd) = Expand(lineText, from, to);
        var caretWidth = Math.Max(1, caretEnd - caretStart);

        output.Write(style.Gutter($"{lineNumber} |"));
        if (display.Length > 0)
        {
            output.Write(' ');
            output.Write(display);
        }

        output.Write('\n');
        output.Write(style.Gutter($"{gutter} |"));
        output.Write(' ');
        output.Write(new string(' ', caretStart));
        output.Write(style.Severity(severity, new string('^', caretWidth)));
        output.Write('\n');

        if (finding.Size is { } size)
        {
            output.Write($"{gutter} = {style.Bold("table:")} {size.Text}\n");
        }

        if (finding.LoweredFrom is { } lowered && finding.LoweredBecause is { } because)
        {
            output.Write($"{gutter} = {style.Bold("info:")} lowered from {lowered.Name()}: {because}\n");
        }

        if (finding.Help.Length > 0)
        {
            output.Write($"{gutter} = {style.Bold("help:")} {finding.Help}\n");
        }

        if (finding.Fix is { } fix)
        {
            output.Write($"{gutter} = {style.Bold("fix:")} {fix.Title}\n");
        }
    }

    /// <summary>
    /// The line as displayed (tabs expanded to tab stops, control characters made visible) and the
    /// display columns of [from, to), so the caret lines up whatever the line holds.
    /// </summary>
    private static (string Display, int Start, int End) Expand(string line, int from, int to)
    {
        var sb = new StringBuilder(line.Length + 8);
        int start = 0, end = 0, column = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i == from)
            {
                start = column;
            }

            if (i == to)
            {
                end = column;
            }

            if (i == line.Length)
            {
                break;
            }

            var c = line[i];
            if (c == '\t')
            {
                var spaces = TabWidth - (column % TabWidth);
                sb.Append(' ', spaces);
                column += spaces;
            }
            else if (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(line[i - 1]))
            {
                // the second half of a surrogate pair takes no column of its own
                sb.Append(c);
            }
            else if (char.IsControl(c))
            {
                // an escape byte in a migration must not drive the user's terminal
                sb.Append('\uFFFD');
                column++;
            }
            else
            {
                sb.Append(c);
                column++;
            }
        }

        return (sb.ToString(), start, end);
    }

    private readonly struct Style(bool enabled)
    {
        private const string Reset = "\u001b[0m";

        public string Bold(string text) => Paint("\u001b[1m", text);

        public string Gutter(string text) => Paint("\u001b[1;34m", text);

        public string Severity(Severity severity, string text) => Paint(
            severity switch
            {
                Reporting.Severity.Error => "\u001b[1;31m",
                Reporting.Severity.Warning => "\u001b[1;33m",
                _ => "\u001b[1;36m",
            },
            text);

        private string Paint(string code, string text) => enabled && text.Length > 0 ? code + text + Reset : text;
    }
}
