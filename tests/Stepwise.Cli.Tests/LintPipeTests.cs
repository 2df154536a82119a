using System.Text.Json;

namespace Stepwise.Cli.Tests;

/// <summary>Issue 14 item 4: a pipe whose generator failed must not pass CI silently.</summary>
public sealed class LintPipeTests
{
    private static JsonElement[] Diagnostics(CliResult r) => [.. JsonDocument.Parse(r.Out).RootElement.GetProperty("diagnostics").EnumerateArray()];

    [Fact]
    public void Empty_standard_input_is_an_input_error()
    {
        var r = CliRunner.RunWithInput(string.Empty, "lint", "-");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("standard input is empty", r.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("No problems found", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Standard_input_with_no_sql_statement_says_so()
    {
        var r = CliRunner.RunWithInput("this is not sql at all;", "lint", "--format", "json", "-");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(Diagnostics(r), d => d.GetProperty("rule").GetString() == "syntax-error" && d.GetProperty("message").GetString()!.Contains("no SQL statement", StringComparison.Ordinal));
    }

    [Fact]
    public void Tool_chatter_before_the_first_statement_is_reported_and_not_merged_into_it()
    {
        const string output = "Build started...\nBuild succeeded.\nCREATE INDEX ix_orders_user ON orders (user_id);\n";
        var r = CliRunner.RunWithInput(output, "lint", "--format", "json", "-");
        Assert.Equal(1, r.ExitCode);
        var d = Diagnostics(r);
        var index = Assert.Single(d, x => x.GetProperty("rule").GetString() == "non-concurrent-index");
        Assert.Equal(3, index.GetProperty("line").GetInt32());
        var chatter = Assert.Single(d, x => x.GetProperty("rule").GetString() == "syntax-error");
        Assert.Equal("warning", chatter.GetProperty("severity").GetString());
        Assert.Equal(1, chatter.GetProperty("line").GetInt32());
        Assert.Contains("not SQL", chatter.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
