using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stepwise.Analysis.Reporting;

/// <summary>
/// GitLab Code Quality report (the `codequality` artifact of a job): a JSON array of
/// {description, check_name, fingerprint, severity, location: {path, lines: {begin}}}, severity one of
/// info, minor, major, critical, blocker.
/// </summary>
internal static class GitLabReportWriter
{
    public static void Write(LintReport report, TextWriter output) => JsonOutput.Write(output, writer =>
    {
        // the same finding twice in a file (same rule, same statement text) still needs two fingerprints
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        writer.WriteStartArray();
        foreach (var finding in report.Findings)
        {
            var path = ReportSummary.ForwardSlashes(finding.Path);
            var key = Fingerprint(finding, path);
            var occurrence = seen[key] = seen.GetValueOrDefault(key) + 1;
            writer.WriteStartObject();
            writer.WriteString("description", ReportSummary.MessageWithHelp(finding));
            writer.WriteString("check_name", finding.Rule);
            writer.WriteString("fingerprint", occurrence == 1 ? key : Hash($"{key}\0{occurrence}"));
            writer.WriteString("severity", SeverityName(finding.Severity));
            writer.WriteStartObject("location");
            writer.WriteString("path", path);
            writer.WriteStartObject("lines");
            writer.WriteNumber("begin", finding.Start.Line);
            writer.WriteNumber("end", finding.End.Line);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    /// <summary>An error blocks the deployment (exit 1): critical; a warning is minor; the rest info.</summary>
    internal static string SeverityName(Severity severity) => severity switch
    {
        Severity.Error => "critical",
        Severity.Warning => "minor",
        _ => "info",
    };

    /// <summary>Stable across runs and across edits elsewhere in the file: the rule, the path and the text of
    /// the finding's span (not its line, so adding a line above does not make it a new finding).</summary>
    private static string Fingerprint(Finding finding, string path)
    {
        var text = finding.Span.Length > 0 && finding.Span.End <= finding.Source.Length ? finding.Source.ToString(finding.Span) : finding.Message;
        return Hash($"{finding.Rule}\0{path}\0{text}");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
