namespace Stepwise.Analysis.Reporting;

/// <summary>Writes a lint report in one of the output formats to a writer the caller owns.</summary>
public static class ReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/> in <paramref name="format"/>.</summary>
    public static void Write(LintReport report, ReportFormat format, TextWriter output, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);

        switch (format)
        {
            case ReportFormat.Json:
                JsonReportWriter.Write(report, output);
                break;
            case ReportFormat.Sarif:
                SarifReportWriter.Write(report, output, options);
                break;
            case ReportFormat.GitHub:
                GitHubReportWriter.Write(report, output);
                break;
            case ReportFormat.GitLab:
                GitLabReportWriter.Write(report, output);
                break;
            case ReportFormat.Markdown:
                MarkdownReportWriter.Write(report, output, options);
                break;
            default:
                TextReportWriter.Write(report, output, options);
                break;
        }
    }
}
