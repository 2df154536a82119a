using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Reporting;

public class TextReportTests
{
    private static string[] Lines(string text) => text.Split('\n');

    /// <summary>The source line and the caret line printed for the finding whose header starts with the location.</summary>
    private static (string Source, string Carets) Excerpt(string output, string location)
    {
        var lines = Lines(output);
        var header = Array.FindIndex(lines, l => l.StartsWith(location, StringComparison.Ordinal));
        Assert.True(header >= 0, $"no finding at {location} in:\n{output}");
        var source = lines[header + 1];
        var carets = lines[header + 2];

        // both lines share the gutter "N | "; strip the same width from each
        var bar = source.IndexOf(" | ", StringComparison.Ordinal) + 3;
        Assert.Equal(bar - 3, carets.IndexOf(" | ", StringComparison.Ordinal));
        return (source[bar..], carets[bar..]);
    }

    [Fact]
    public void Header_gives_path_line_column_severity_rule_and_message()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.Update()]), ReportFormat.Text);

        Assert.Equal(
            "migrations/0003_users.sql:4:1: error[unbatched-data-change] UPDATE of every row of users in one transaction",
            Lines(output)[0]);
    }

    [Fact]
    public void Caret_underlines_the_span_under_the_right_column()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.Index()]), ReportFormat.Text);

        var (source, carets) = Excerpt(output, "migrations/0003_users.sql:2:1:");
        Assert.Equal("CREATE INDEX idx_users_email ON users (email);", source);
        Assert.Equal(new string('^', source.Length), carets);
    }

    [Fact]
    public void Caret_lines_up_after_a_tab()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.RequiredColumn()]), ReportFormat.Text);

        var (source, carets) = Excerpt(output, "migrations/0003_users.sql:3:39:");
        var at = carets.IndexOf('^', StringComparison.Ordinal);
        Assert.DoesNotContain('\t', source);
        Assert.Equal("NOT NULL", source.Substring(at, 8));
        Assert.Equal(new string(' ', at) + "^^^^^^^^", carets);
    }

    [Fact]
    public void Tab_in_the_middle_of_a_line_expands_to_the_next_tab_stop()
    {
        var source = new SourceText("ab\tDROP TABLE t;\n", "x.sql");
        var finding = new Finding("drop-table", Severity.Error, source, new TextSpan(3, 4), "m", "h");

        var output = ReportSamples.Render(new LintReport(1, [finding]), ReportFormat.Text);

        var (line, carets) = Excerpt(output, "x.sql:1:4:");
        Assert.Equal("ab  DROP TABLE t;", line);
        Assert.Equal("    ^^^^", carets);
    }

    [Fact]
    public void Multi_line_span_is_underlined_to_the_end_of_its_first_line()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.Update()]), ReportFormat.Text);

        var (source, carets) = Excerpt(output, "migrations/0003_users.sql:4:1:");
        Assert.Equal("UPDATE users", source);
        Assert.Equal("^^^^^^^^^^^^", carets);
    }

    [Fact]
    public void Empty_span_gets_one_caret()
    {
        var finding = ReportSamples.Index() with { Span = new TextSpan(ReportSamples.SpanOf("ON users").Start, 0) };

        var output = ReportSamples.Render(new LintReport(1, [finding]), ReportFormat.Text);

        var (source, carets) = Excerpt(output, "migrations/0003_users.sql:2:30:");
        Assert.Equal(new string(' ', source.IndexOf("ON users", StringComparison.Ordinal)) + "^", carets);
    }

    [Fact]
    public void Help_and_fix_follow_the_caret()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.Index()]), ReportFormat.Text);

        var lines = Lines(output);
        Assert.Equal("  = help: Use CREATE INDEX CONCURRENTLY in its own migration.", lines[3]);
        Assert.Equal("  = fix: Add CONCURRENTLY", lines[4]);
    }

    [Fact]
    public void Finding_without_fix_prints_no_fix_line()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.Update()]), ReportFormat.Text);

        Assert.Contains("  = help: Backfill in batches with stepwise backfill.\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("= fix:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_counts_each_severity_and_the_files()
    {
        var output = ReportSamples.Render(ReportSamples.Report(), ReportFormat.Text);

        Assert.EndsWith("\n2 errors, 1 warning, 1 info in 2 files\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Clean_report_says_no_problems()
    {
        var output = ReportSamples.Render(new LintReport(1, []), ReportFormat.Text);

        Assert.Equal("No problems found in 1 file.\n", output);
    }

    [Fact]
    public void No_escape_codes_without_color()
    {
        var output = ReportSamples.Render(ReportSamples.Report(), ReportFormat.Text);

        Assert.DoesNotContain('\u001b', output);
    }

    [Fact]
    public void Color_paints_severity_and_resets()
    {
        var output = ReportSamples.Render(new LintReport(1, [ReportSamples.Update()]), ReportFormat.Text, color: true);

        Assert.Contains("\u001b[1;31merror[unbatched-data-change]\u001b[0m", output, StringComparison.Ordinal);
        Assert.Contains("\u001b[1;31m^^^^^^^^^^^^\u001b[0m", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_in_the_source_do_not_reach_the_terminal()
    {
        var source = new SourceText("SELECT '\u001b[2J';\n", "x.sql");
        var finding = new Finding("lock-table", Severity.Warning, source, new TextSpan(0, 6), "m", "h");

        var output = ReportSamples.Render(new LintReport(1, [finding]), ReportFormat.Text);

        Assert.DoesNotContain('\u001b', output);
        Assert.Contains("SELECT '\uFFFD[2J';", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Wide_line_numbers_widen_the_gutter_for_every_line()
    {
        var sql = string.Concat(Enumerable.Repeat("SELECT 1;\n", 120));
        var source = new SourceText(sql, "x.sql");
        var finding = new Finding("lock-table", Severity.Info, source, new TextSpan(sql.Length - 10, 6), "m", "h");

        var lines = Lines(ReportSamples.Render(new LintReport(1, [finding]), ReportFormat.Text));

        Assert.Equal("120 | SELECT 1;", lines[1]);
        Assert.Equal("    | ^^^^^^", lines[2]);
        Assert.Equal("    = help: h", lines[3]);
    }
}
