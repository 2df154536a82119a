using System.Text.Json;

namespace Stepwise.Analysis.Reporting;

/// <summary>
/// The JSON contract other tools parse: {"files", "diagnostics": [{rule, severity, path, line, column,
/// endLine, endColumn, message, help, fix?}]}. Lines and columns are 1-based; the end is just after the span.
/// </summary>
internal static class JsonReportWriter
{
    private static readonly (string, string, string, string) Names = ("line", "column", "endLine", "endColumn");

    public static void Write(LintReport report, TextWriter output) => JsonOutput.Write(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("files", report.Files);
        writer.WriteStartArray("diagnostics");
        foreach (var finding in report.Findings)
        {
            WriteDiagnostic(writer, finding);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteDiagnostic(Utf8JsonWriter writer, Finding finding)
    {
        writer.WriteStartObject();
        writer.WriteString("rule", finding.Rule);
        writer.WriteString("severity", finding.Severity.Name());
        writer.WriteString("path", finding.Path);
        JsonOutput.WriteRange(writer, finding.Source, finding.Span, Names);
        writer.WriteString("message", finding.Message);
        writer.WriteString("help", finding.Help);
        JsonOutput.WriteTableSize(writer, finding);
        if (finding.Fix is { } fix)
        {
            writer.WriteStartObject("fix");
            writer.WriteString("title", fix.Title);
            writer.WriteStartArray("edits");
            foreach (var edit in fix.Edits)
            {
                writer.WriteStartObject();
                JsonOutput.WriteRange(writer, finding.Source, edit.Span, Names);
                writer.WriteString("newText", edit.NewText);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
