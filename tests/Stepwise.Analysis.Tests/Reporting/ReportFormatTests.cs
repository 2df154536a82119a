using Stepwise.Analysis.Reporting;

namespace Stepwise.Analysis.Tests.Reporting;

public class ReportFormatTests
{
    [Theory]
    [InlineData("text", ReportFormat.Text)]
    [InlineData("json", ReportFormat.Json)]
    [InlineData("sarif", ReportFormat.Sarif)]
    [InlineData("github", ReportFormat.GitHub)]
    [InlineData("markdown", ReportFormat.Markdown)]
    [InlineData("gitlab", ReportFormat.GitLab)]
    [InlineData(" SARIF ", ReportFormat.Sarif)]
    [InlineData("GitHub", ReportFormat.GitHub)]
    public void Known_names_parse(string text, ReportFormat expected)
    {
        Assert.True(ReportFormats.TryParse(text, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("xml")]
    [InlineData("md")]
    public void Unknown_names_do_not_parse(string? text)
    {
        Assert.False(ReportFormats.TryParse(text, out _));
    }

    [Fact]
    public void Every_format_round_trips_through_its_name()
    {
        foreach (var format in Enum.GetValues<ReportFormat>())
        {
            Assert.True(ReportFormats.TryParse(format.Name(), out var parsed));
            Assert.Equal(format, parsed);
            Assert.Contains(format.Name(), ReportFormats.Names);
        }
    }
}
