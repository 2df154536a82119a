using System.Text.Json;
using Stepwise.Analysis.Reporting;

namespace Stepwise.Analysis.Tests.Reporting;

public class JsonReportTests
{
    private static JsonElement Parse(LintReport report)
    {
        using var document = JsonDocument.Parse(ReportSamples.Render(report, ReportFormat.Json));
        return document.RootElement.Clone();
    }

    private static string[] Names(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public void Top_level_has_exactly_files_and_diagnostics()
    {
        var root = Parse(ReportSamples.Report());

        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        Assert.Equal(["files", "diagnostics"], Names(root));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("files").ValueKind);
        Assert.Equal(2, root.GetProperty("files").GetInt32());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("diagnostics").ValueKind);
        Assert.Equal(4, root.GetProperty("diagnostics").GetArrayLength());
    }

    [Fact]
    public void Diagnostic_has_every_contract_field_with_its_type_and_value()
    {
        var diagnostic = Parse(new LintReport(1, [ReportSamples.RequiredColumn()])).GetProperty("diagnostics")[0];

        Assert.Equal(
            ["rule", "severity", "path", "line", "column", "endLine", "endColumn", "message", "help"],
            Names(diagnostic));
        AssertString(diagnostic, "rule", "adding-required-column");
        AssertString(diagnostic, "severity", "error");
        AssertString(diagnostic, "path", "migrations/0003_users.sql");
        AssertNumber(diagnostic, "line", 3);
        // the line starts with a tab: columns count characters, 1-based, so NOT is at 39
        AssertNumber(diagnostic, "column", 39);
        AssertNumber(diagnostic, "endLine", 3);
        AssertNumber(diagnostic, "endColumn", 47);
        AssertString(diagnostic, "message", "ADD COLUMN age NOT NULL without a default fails on a non-empty table.");
        AssertString(diagnostic, "help", "Add the column nullable, backfill, then SET NOT NULL.");
    }

    [Fact]
    public void Multi_line_span_ends_on_its_last_line_just_after_the_span()
    {
        var diagnostic = Parse(new LintReport(1, [ReportSamples.Update()])).GetProperty("diagnostics")[0];

        AssertNumber(diagnostic, "line", 4);
        AssertNumber(diagnostic, "column", 1);
        AssertNumber(diagnostic, "endLine", 5);
        AssertNumber(diagnostic, "endColumn", 13);
    }

    [Theory]
    [InlineData(Severity.Error, "error")]
    [InlineData(Severity.Warning, "warning")]
    [InlineData(Severity.Info, "info")]
    public void Severity_is_written_as_its_lowercase_name(Severity severity, string expected)
    {
        var finding = ReportSamples.Update() with { Severity = severity };

        var diagnostic = Parse(new LintReport(1, [finding])).GetProperty("diagnostics")[0];

        AssertString(diagnostic, "severity", expected);
    }

    [Fact]
    public void Fix_is_an_object_with_title_and_positioned_edits()
    {
        var diagnostic = Parse(new LintReport(1, [ReportSamples.Index()])).GetProperty("diagnostics")[0];

        Assert.Equal("fix", Names(diagnostic)[^1]);
        var fix = diagnostic.GetProperty("fix");
        Assert.Equal(["title", "edits"], Names(fix));
        AssertString(fix, "title", "Add CONCURRENTLY");
        var edit = Assert.Single(fix.GetProperty("edits").EnumerateArray());
        Assert.Equal(["line", "column", "endLine", "endColumn", "newText"], Names(edit));
        AssertNumber(edit, "line", 2);
        AssertNumber(edit, "column", 14);
        AssertNumber(edit, "endLine", 2);
        AssertNumber(edit, "endColumn", 14);
        AssertString(edit, "newText", "CONCURRENTLY ");
    }

    [Fact]
    public void Finding_without_fix_has_no_fix_property()
    {
        var diagnostic = Parse(new LintReport(1, [ReportSamples.Update()])).GetProperty("diagnostics")[0];

        Assert.False(diagnostic.TryGetProperty("fix", out _));
    }

    [Fact]
    public void Clean_report_has_an_empty_diagnostics_array()
    {
        var root = Parse(new LintReport(7, []));

        Assert.Equal(7, root.GetProperty("files").GetInt32());
        Assert.Equal(0, root.GetProperty("diagnostics").GetArrayLength());
    }

    [Fact]
    public void Quotes_and_control_characters_survive_a_round_trip()
    {
        var finding = ReportSamples.Index() with { Message = "say \"hi\" <b> & 'x'\n\tnext" };

        var diagnostic = Parse(new LintReport(1, [finding])).GetProperty("diagnostics")[0];

        AssertString(diagnostic, "message", "say \"hi\" <b> & 'x'\n\tnext");
    }

    [Fact]
    public void Output_is_indented_and_ends_with_a_newline()
    {
        var text = ReportSamples.Render(ReportSamples.Report(), ReportFormat.Json);

        Assert.StartsWith("{\n  \"files\": 2,", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
    }

    private static void AssertString(JsonElement element, string name, string expected)
    {
        var value = element.GetProperty(name);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        Assert.Equal(expected, value.GetString());
    }

    private static void AssertNumber(JsonElement element, string name, int expected)
    {
        var value = element.GetProperty(name);
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        Assert.Equal(expected, value.GetInt32());
    }
}
