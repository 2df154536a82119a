using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Reporting;

public class MarkdownReportTests
{
    private static string Render(LintReport report) => ReportSamples.Render(report, ReportFormat.Markdown);

    private static string[] TableRows(string markdown) =>
        markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void Heading_gives_the_counts()
    {
        var markdown = Render(ReportSamples.Report());

        Assert.StartsWith("### Stepwise lint: 2 errors, 1 warning, 1 info in 2 files\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Table_has_a_header_and_one_row_per_finding_in_order()
    {
        var rows = TableRows(Render(ReportSamples.Report()));

        Assert.Equal(
            [
                "| Severity | Rule | Location | Message |",
                "| --- | --- | --- | --- |",
                "| :warning: warning | [`non-concurrent-index`](https://example.test/rules/non-concurrent-index) | `migrations/0003_users.sql:2:1` | CREATE INDEX without CONCURRENTLY blocks writes to \"users\" |",
                "| :x: error | `adding-required-column` | `migrations/0003_users.sql:3:39` | ADD COLUMN age NOT NULL without a default fails on a non-empty table. |",
                "| :x: error | `unbatched-data-change` | `migrations/0003_users.sql:4:1` | UPDATE of every row of users in one transaction |",
                "| :information_source: info | `unused-suppression` | `migrations/0003_users.sql:6:1` | This suppression of drop-table matches no finding |",
            ],
            rows);
    }

    [Fact]
    public void Pipes_and_line_breaks_cannot_break_a_table_row()
    {
        var finding = ReportSamples.Update() with { Message = "a | b\nc" };

        var row = TableRows(Render(new LintReport(1, [finding])))[2];

        Assert.EndsWith(@"| a \| b c |", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_show_the_source_in_a_sql_fence_and_the_help()
    {
        var markdown = Render(new LintReport(1, [ReportSamples.Update()]));

        Assert.Contains(
            "<details>\n<summary>error <code>unbatched-data-change</code> at <code>migrations/0003_users.sql:4:1</code></summary>\n\n",
            markdown,
            StringComparison.Ordinal);
        Assert.Contains("```sql\nUPDATE users\nSET age = 0;\n```\n", markdown, StringComparison.Ordinal);
        Assert.Contains("**Help:** Backfill in batches with stepwise backfill.\n", markdown, StringComparison.Ordinal);
        Assert.EndsWith("</details>\n", markdown, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(markdown, "<details>"));
    }

    [Fact]
    public void Html_in_a_message_is_shown_not_rendered()
    {
        var finding = ReportSamples.Update() with { Message = "<details> & <b>x</b>" };

        var row = TableRows(Render(new LintReport(1, [finding])))[2];

        Assert.EndsWith("| &lt;details&gt; &amp; &lt;b&gt;x&lt;/b&gt; |", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_name_the_fix_when_there_is_one()
    {
        var markdown = Render(new LintReport(1, [ReportSamples.Index()]));

        Assert.Contains("**Fix:** Add CONCURRENTLY\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Backticks_in_the_source_get_a_longer_fence()
    {
        var source = new SourceText("SELECT '```';\n", "x.sql");
        var finding = new Finding("lock-table", Severity.Warning, source, new TextSpan(0, 13), "m", "h");

        var markdown = Render(new LintReport(1, [finding]));

        Assert.Contains("````sql\nSELECT '```';\n````\n", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_report_says_no_problems_and_has_no_table()
    {
        var markdown = Render(new LintReport(3, []));

        Assert.Contains("No problems found in 3 files.", markdown, StringComparison.Ordinal);
        Assert.Empty(TableRows(markdown));
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
