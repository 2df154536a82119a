using System.Text.Json;
using Stepwise.Sql;

namespace Stepwise.Analysis.Reporting;

/// <summary>SARIF 2.1.0 (one run) for code-scanning tools such as GitHub's.</summary>
internal static class SarifReportWriter
{
    private const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    private static readonly (string, string, string, string) RegionNames = ("startLine", "startColumn", "endLine", "endColumn");

    public static void Write(LintReport report, TextWriter output, ReportOptions options)
    {
        var rules = CollectRules(report, options.Rules);
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            indexes.TryAdd(rules[i].Name, i);
        }

        JsonOutput.Write(output, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("$schema", SchemaUri);
            writer.WriteString("version", "2.1.0");
            writer.WriteStartArray("runs");
            writer.WriteStartObject();

            writer.WriteStartObject("tool");
            writer.WriteStartObject("driver");
            writer.WriteString("name", "stepwise");
            if (!string.IsNullOrEmpty(options.InformationUri))
            {
                writer.WriteString("informationUri", options.InformationUri);
            }

            if (!string.IsNullOrEmpty(options.ToolVersion))
            {
                writer.WriteString("version", options.ToolVersion);
            }

            writer.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                WriteRule(writer, rule);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();

            writer.WriteStartArray("results");
            foreach (var finding in report.Findings)
            {
                WriteResult(writer, finding, indexes[finding.Rule]);
            }

            writer.WriteEndArray();

            // SourceText columns count UTF-16 code units; say so rather than leave readers to guess
            writer.WriteString("columnKind", "utf16CodeUnits");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// The catalogue (deduplicated by name), then any rule that only findings name, such as
    /// "syntax-error" or "unused-suppression", so every result has a descriptor to point at.
    /// </summary>
    private static List<RuleInfo> CollectRules(LintReport report, IReadOnlyList<RuleInfo> catalogue)
    {
        var rules = new List<RuleInfo>(catalogue.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in catalogue)
        {
            if (seen.Add(rule.Name))
            {
                rules.Add(rule);
            }
        }

        foreach (var finding in report.Findings)
        {
            if (seen.Add(finding.Rule))
            {
                rules.Add(new RuleInfo(finding.Rule, TitleOf(finding.Rule), finding.Severity, string.Empty, null));
            }
        }

        return rules;
    }

    private static string TitleOf(string rule) => rule switch
    {
        "syntax-error" => "The SQL could not be parsed",
        "unused-suppression" => "A suppression comment matches no finding",
        _ => rule.Length == 0 ? "(unnamed rule)" : char.ToUpperInvariant(rule[0]) + rule[1..].Replace('-', ' '),
    };

    private static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static void WriteRule(Utf8JsonWriter writer, RuleInfo rule)
    {
        writer.WriteStartObject();
        writer.WriteString("id", rule.Name);
        WriteMessage(writer, "shortDescription", rule.Title);
        if (rule.Help.Length > 0)
        {
            WriteMessage(writer, "help", rule.Help);
        }

        if (!string.IsNullOrEmpty(rule.DocUri))
        {
            writer.WriteString("helpUri", rule.DocUri);
        }

        writer.WriteStartObject("defaultConfiguration");
        writer.WriteString("level", Level(rule.DefaultSeverity));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter writer, Finding finding, int ruleIndex)
    {
        var uri = ReportSummary.ToUriReference(finding.Path);

        writer.WriteStartObject();
        writer.WriteString("ruleId", finding.Rule);
        writer.WriteNumber("ruleIndex", ruleIndex);
        writer.WriteString("level", Level(finding.Severity));
        WriteMessage(writer, "message", ReportSummary.MessageWithHelp(finding));

        writer.WriteStartArray("locations");
        writer.WriteStartObject();
        writer.WriteStartObject("physicalLocation");
        WriteArtifactLocation(writer, uri);
        writer.WriteStartObject("region");
        JsonOutput.WriteRange(writer, finding.Source, finding.Span, RegionNames);
        if (finding.Span.Length > 0)
        {
            WriteMessage(writer, "snippet", finding.Source.ToString(ClampToSource(finding.Source, finding.Span)));
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();

        if (finding.Fix is { } fix)
        {
            WriteFix(writer, finding.Source, uri, fix);
        }

        if (finding.Size is not null)
        {
            // a property bag: the table's size from the database's catalog, and the severity before it was lowered
            writer.WriteStartObject("properties");
            JsonOutput.WriteTableSize(writer, finding);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteFix(Utf8JsonWriter writer, SourceText source, string uri, Fix fix)
    {
        writer.WriteStartArray("fixes");
        writer.WriteStartObject();
        WriteMessage(writer, "description", fix.Title);
        writer.WriteStartArray("artifactChanges");
        writer.WriteStartObject();
        WriteArtifactLocation(writer, uri);
        writer.WriteStartArray("replacements");
        foreach (var edit in fix.Edits)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("deletedRegion");
            JsonOutput.WriteRange(writer, source, edit.Span, RegionNames);
            writer.WriteEndObject();
            if (edit.NewText.Length > 0)
            {
                WriteMessage(writer, "insertedContent", edit.NewText);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
    }

    private static void WriteArtifactLocation(Utf8JsonWriter writer, string uri)
    {
        writer.WriteStartObject("artifactLocation");
        writer.WriteString("uri", uri);
        writer.WriteEndObject();
    }

    /// <summary>A message, multiformatMessageString or artifactContent: all are {"text": ...}.</summary>
    private static void WriteMessage(Utf8JsonWriter writer, string name, string text)
    {
        writer.WriteStartObject(name);
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static TextSpan ClampToSource(SourceText source, TextSpan span)
    {
        var start = Math.Clamp(span.Start, 0, source.Length);
        var end = Math.Clamp(span.End, start, source.Length);
        return TextSpan.FromBounds(start, end);
    }
}
