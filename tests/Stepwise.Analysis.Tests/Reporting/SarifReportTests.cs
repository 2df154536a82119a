using System.Text.Json;
using System.Text.Json.Nodes;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Reporting;

public class SarifReportTests
{
    private static string Render(LintReport report) => ReportSamples.Render(report, ReportFormat.Sarif);

    private static JsonElement Run(LintReport report)
    {
        using var document = JsonDocument.Parse(Render(report));
        return document.RootElement.GetProperty("runs")[0].Clone();
    }

    private static void AssertValid(string sarif)
    {
        var (isValid, errors) = SarifSchema.Validate(sarif);
        Assert.True(isValid, $"SARIF output does not validate against the 2.1.0 schema:\n{errors}\n{sarif}");
    }

    [Fact]
    public void Report_with_every_kind_of_finding_validates_against_the_official_schema()
    {
        AssertValid(Render(ReportSamples.Report()));
    }

    [Fact]
    public void Clean_report_validates_against_the_official_schema()
    {
        AssertValid(Render(new LintReport(3, [])));
    }

    [Fact]
    public void Awkward_paths_and_texts_still_validate()
    {
        var source = new SourceText("DROP TABLE \"a b\";\r\n", @"db\my migrations\001 ü#1.sql");
        var finding = new Finding("drop-table", Severity.Error, source, new TextSpan(0, 19), "quote \" and\nnewline", "", new Fix("Delete", [new TextEdit(new TextSpan(0, 19), "")]));

        var sarif = Render(new LintReport(1, [finding]));

        AssertValid(sarif);
        using var document = JsonDocument.Parse(sarif);
        var location = document.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0];
        Assert.Equal(
            "db/my%20migrations/001%20%C3%BC%231.sql",
            location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Theory]
    [InlineData("/runs/0/results/0/level", "\"fatal\"")]
    [InlineData("/runs/0/results/0/locations/0/physicalLocation/region/startLine", "0")]
    [InlineData("/version", "\"2.0.0\"")]
    [InlineData("/runs/0/tool/driver/rules/0/helpUri", "\"not a uri\"")]
    public void Broken_document_fails_validation(string pointer, string value)
    {
        var node = JsonNode.Parse(Render(ReportSamples.Report()))!;
        var segments = pointer.Trim('/').Split('/');
        var parent = segments[..^1].Aggregate(node, (current, segment) =>
            int.TryParse(segment, out var index) ? current[index]! : current[segment]!);
        parent.AsObject()[segments[^1]] = JsonNode.Parse(value);

        var (isValid, errors) = SarifSchema.Validate(node.ToJsonString());

        Assert.False(isValid, $"setting {pointer} to {value} should break the document");
        Assert.NotEmpty(errors);
    }

    [Fact]
    public void Document_missing_the_tool_fails_validation()
    {
        var node = JsonNode.Parse(Render(ReportSamples.Report()))!;
        node["runs"]![0]!.AsObject().Remove("tool");

        Assert.False(SarifSchema.Validate(node.ToJsonString()).IsValid);
    }

    [Fact]
    public void Log_names_schema_version_and_driver()
    {
        using var document = JsonDocument.Parse(Render(ReportSamples.Report()));
        var root = document.RootElement;
        var driver = root.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver");

        Assert.Equal("https://json.schemastore.org/sarif-2.1.0.json", root.GetProperty("$schema").GetString());
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Equal(1, root.GetProperty("runs").GetArrayLength());
        Assert.Equal("stepwise", driver.GetProperty("name").GetString());
        Assert.Equal("1.2.3", driver.GetProperty("version").GetString());
        Assert.Equal("https://example.test/stepwise", driver.GetProperty("informationUri").GetString());
    }

    [Fact]
    public void Rules_are_the_catalogue_then_rules_only_findings_name()
    {
        var rules = Run(ReportSamples.Report()).GetProperty("tool").GetProperty("driver").GetProperty("rules");

        Assert.Equal(
            ["non-concurrent-index", "adding-required-column", "unbatched-data-change", "drop-table", "unused-suppression"],
            rules.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray());

        var index = rules[0];
        Assert.Equal("CREATE INDEX without CONCURRENTLY", index.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal("Use CREATE INDEX CONCURRENTLY in its own migration.", index.GetProperty("help").GetProperty("text").GetString());
        Assert.Equal("https://example.test/rules/non-concurrent-index", index.GetProperty("helpUri").GetString());
        Assert.Equal("warning", index.GetProperty("defaultConfiguration").GetProperty("level").GetString());

        Assert.False(rules[1].TryGetProperty("helpUri", out _));
        Assert.Equal("error", rules[1].GetProperty("defaultConfiguration").GetProperty("level").GetString());

        var added = rules[4];
        Assert.Equal("note", added.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        Assert.False(string.IsNullOrEmpty(added.GetProperty("shortDescription").GetProperty("text").GetString()));
    }

    [Fact]
    public void Each_result_points_at_its_rule_by_id_and_index()
    {
        var run = Run(ReportSamples.Report());
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");

        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            var ruleIndex = result.GetProperty("ruleIndex").GetInt32();
            Assert.Equal(result.GetProperty("ruleId").GetString(), rules[ruleIndex].GetProperty("id").GetString());
        }

        Assert.Equal(
            ["warning", "error", "error", "note"],
            run.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("level").GetString()!).ToArray());
    }

    [Fact]
    public void Result_has_message_with_help_and_a_region_with_exclusive_end()
    {
        var result = Run(new LintReport(1, [ReportSamples.Update()])).GetProperty("results")[0];

        Assert.Equal(
            "UPDATE of every row of users in one transaction. Backfill in batches with stepwise backfill.",
            result.GetProperty("message").GetProperty("text").GetString());
        var physical = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("migrations/0003_users.sql", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
        var region = physical.GetProperty("region");
        Assert.Equal(4, region.GetProperty("startLine").GetInt32());
        Assert.Equal(1, region.GetProperty("startColumn").GetInt32());
        Assert.Equal(5, region.GetProperty("endLine").GetInt32());
        Assert.Equal(13, region.GetProperty("endColumn").GetInt32());
        Assert.Equal("UPDATE users\nSET age = 0;", region.GetProperty("snippet").GetProperty("text").GetString());
        Assert.False(result.TryGetProperty("fixes", out _));
    }

    [Fact]
    public void Fix_becomes_a_replacement_in_the_same_artifact()
    {
        var result = Run(new LintReport(1, [ReportSamples.Index()])).GetProperty("results")[0];

        var fix = Assert.Single(result.GetProperty("fixes").EnumerateArray());
        Assert.Equal("Add CONCURRENTLY", fix.GetProperty("description").GetProperty("text").GetString());
        var change = Assert.Single(fix.GetProperty("artifactChanges").EnumerateArray());
        Assert.Equal("migrations/0003_users.sql", change.GetProperty("artifactLocation").GetProperty("uri").GetString());
        var replacement = Assert.Single(change.GetProperty("replacements").EnumerateArray());
        var deleted = replacement.GetProperty("deletedRegion");
        Assert.Equal(2, deleted.GetProperty("startLine").GetInt32());
        Assert.Equal(14, deleted.GetProperty("startColumn").GetInt32());
        Assert.Equal(2, deleted.GetProperty("endLine").GetInt32());
        Assert.Equal(14, deleted.GetProperty("endColumn").GetInt32());
        Assert.Equal("CONCURRENTLY ", replacement.GetProperty("insertedContent").GetProperty("text").GetString());
    }

    [Fact]
    public void Columns_are_declared_as_utf16_code_units()
    {
        Assert.Equal("utf16CodeUnits", Run(ReportSamples.Report()).GetProperty("columnKind").GetString());
    }

    [Theory]
    [InlineData("migrations/001_init.sql", "migrations/001_init.sql")]
    [InlineData(@"migrations\001 init.sql", "migrations/001%20init.sql")]
    [InlineData("/srv/app/db/001.sql", "/srv/app/db/001.sql")]
    [InlineData(@"C:\app\db\001.sql", "file:///C:/app/db/001.sql")]
    [InlineData(@"\\server\share\001.sql", "file://server/share/001.sql")]
    [InlineData("v1:init.sql", "./v1:init.sql")]
    [InlineData("db/50%_done#2.sql", "db/50%25_done%232.sql")]
    public void Paths_become_uri_references(string path, string expected)
    {
        Assert.Equal(expected, ReportSummary.ToUriReference(path));
    }
}
