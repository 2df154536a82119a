using System.Text.Json;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Reporting;

/// <summary>GitLab Code Quality: a JSON array of issues with the fields GitLab documents for the
/// `codequality` report (description, check_name, fingerprint, severity, location.path,
/// location.lines.begin), severity from its fixed list.</summary>
public class GitLabReportTests
{
    private static readonly string[] GitLabSeverities = ["info", "minor", "major", "critical", "blocker"];

    private static JsonElement Parse(LintReport report)
    {
        using var document = JsonDocument.Parse(ReportSamples.Render(report, ReportFormat.GitLab));
        return document.RootElement.Clone();
    }

    [Fact]
    public void Every_issue_has_the_documented_fields_with_their_types()
    {
        var root = Parse(ReportSamples.Report());

        Assert.Equal(JsonValueKind.Array, root.ValueKind);
        Assert.Equal(4, root.GetArrayLength());
        foreach (var issue in root.EnumerateArray())
        {
            Assert.Equal(["description", "check_name", "fingerprint", "severity", "location"], issue.EnumerateObject().Select(p => p.Name));
            Assert.False(string.IsNullOrWhiteSpace(issue.GetProperty("description").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(issue.GetProperty("check_name").GetString()));
            Assert.Matches("^[0-9a-f]{32}$", issue.GetProperty("fingerprint").GetString());
            Assert.Contains(issue.GetProperty("severity").GetString(), GitLabSeverities);
            var location = issue.GetProperty("location");
            Assert.Equal(JsonValueKind.String, location.GetProperty("path").ValueKind);
            Assert.Equal(JsonValueKind.Number, location.GetProperty("lines").GetProperty("begin").ValueKind);
        }
    }

    [Fact]
    public void An_issue_carries_the_rule_path_line_severity_and_the_message_with_its_help()
    {
        var issue = Parse(new LintReport(1, [ReportSamples.Update()]))[0];

        Assert.Equal("unbatched-data-change", issue.GetProperty("check_name").GetString());
        Assert.Equal("critical", issue.GetProperty("severity").GetString());
        Assert.Equal("migrations/0003_users.sql", issue.GetProperty("location").GetProperty("path").GetString());
        Assert.Equal(4, issue.GetProperty("location").GetProperty("lines").GetProperty("begin").GetInt32());
        Assert.Equal(5, issue.GetProperty("location").GetProperty("lines").GetProperty("end").GetInt32());
        var description = issue.GetProperty("description").GetString()!;
        Assert.Contains("UPDATE of every row of users in one transaction", description, StringComparison.Ordinal);
        Assert.Contains("Backfill in batches with stepwise backfill.", description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Severity.Error, "critical")]
    [InlineData(Severity.Warning, "minor")]
    [InlineData(Severity.Info, "info")]
    public void Severities_map_onto_the_gitlab_scale(Severity severity, string expected)
    {
        var finding = ReportSamples.Index() with { Severity = severity };
        Assert.Equal(expected, Parse(new LintReport(1, [finding]))[0].GetProperty("severity").GetString());
    }

    [Fact]
    public void Fingerprints_are_unique_and_do_not_move_with_the_line()
    {
        var all = Parse(ReportSamples.Report()).EnumerateArray().Select(i => i.GetProperty("fingerprint").GetString()).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());

        // the same statement two lines lower keeps its fingerprint; another path does not
        const string Statement = "CREATE INDEX i ON users (email);";
        string FingerprintOf(string text, string path)
        {
            var source = new SourceText(text, path);
            var start = text.IndexOf(Statement, StringComparison.Ordinal);
            var finding = new Finding("non-concurrent-index", Severity.Error, source, new TextSpan(start, Statement.Length), "m", "h");
            return Parse(new LintReport(1, [finding]))[0].GetProperty("fingerprint").GetString()!;
        }

        Assert.Equal(FingerprintOf(Statement, "a.sql"), FingerprintOf("-- one\n-- two\n" + Statement, "a.sql"));
        Assert.NotEqual(FingerprintOf(Statement, "a.sql"), FingerprintOf(Statement, "b.sql"));
    }

    [Fact]
    public void The_same_finding_twice_gets_two_fingerprints()
    {
        var twice = Parse(new LintReport(1, [ReportSamples.Index(), ReportSamples.Index()]));
        Assert.NotEqual(twice[0].GetProperty("fingerprint").GetString(), twice[1].GetProperty("fingerprint").GetString());
    }

    [Fact]
    public void No_findings_is_an_empty_array()
    {
        Assert.Equal("[]", ReportSamples.Render(new LintReport(3, []), ReportFormat.GitLab).Trim());
    }
}
