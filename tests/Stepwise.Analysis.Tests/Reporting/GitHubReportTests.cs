using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Reporting;

public class GitHubReportTests
{
    private static string[] Lines(LintReport report) =>
        ReportSamples.Render(report, ReportFormat.GitHub).Split('\n');

    [Fact]
    public void Error_becomes_an_error_command_with_position_title_and_help()
    {
        var lines = Lines(new LintReport(1, [ReportSamples.Update()]));

        Assert.Equal(
            "::error file=migrations/0003_users.sql,line=4,col=1,endLine=5,endColumn=13,title=unbatched-data-change::UPDATE of every row of users in one transaction. Backfill in batches with stepwise backfill.",
            lines[0]);
    }

    [Theory]
    [InlineData(Severity.Error, "::error ")]
    [InlineData(Severity.Warning, "::warning ")]
    [InlineData(Severity.Info, "::notice ")]
    public void Severity_picks_the_command(Severity severity, string prefix)
    {
        var lines = Lines(new LintReport(1, [ReportSamples.Update() with { Severity = severity }]));

        Assert.StartsWith(prefix, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Message_that_ends_a_sentence_gets_no_second_full_stop()
    {
        var lines = Lines(new LintReport(1, [ReportSamples.RequiredColumn()]));

        Assert.EndsWith("::ADD COLUMN age NOT NULL without a default fails on a non-empty table. Add the column nullable, backfill, then SET NOT NULL.", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Message_escapes_percent_and_line_breaks_but_keeps_colons_and_commas()
    {
        var finding = ReportSamples.Update() with { Message = "100% of rows:\r\nall, really", Help = "" };

        var line = Lines(new LintReport(1, [finding]))[0];

        Assert.EndsWith("::100%25 of rows:%0D%0Aall, really", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_escape_colon_comma_percent_and_line_breaks()
    {
        var source = new SourceText("DROP TABLE t;", @"db\a,b:c%d.sql");
        var finding = new Finding("drop-table", Severity.Error, source, new TextSpan(0, 4), "m", "");

        var line = Lines(new LintReport(1, [finding]))[0];

        Assert.StartsWith("::error file=db/a%2Cb%3Ac%25d.sql,line=1,col=1,endLine=1,endColumn=5,title=drop-table::m", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_functions_follow_the_workflow_command_rules()
    {
        Assert.Equal("a%25b%0Dc%0Ad:e,f", GitHubReportWriter.EscapeData("a%b\rc\nd:e,f"));
        Assert.Equal("a%25b%0Dc%0Ad%3Ae%2Cf", GitHubReportWriter.EscapeProperty("a%b\rc\nd:e,f"));
    }

    [Fact]
    public void One_command_per_finding_then_the_summary()
    {
        var lines = Lines(ReportSamples.Report());

        Assert.Equal(4, lines.Count(l => l.StartsWith("::", StringComparison.Ordinal)));
        Assert.Equal("2 errors, 1 warning, 1 info in 2 files", lines[4]);
        Assert.Equal(string.Empty, lines[5]);
    }
}
