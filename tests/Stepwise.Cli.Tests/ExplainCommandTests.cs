namespace Stepwise.Cli.Tests;

public sealed class ExplainCommandTests
{
    [Fact]
    public void Explain_prints_the_rule_doc()
    {
        var r = CliRunner.Run("explain", "non-concurrent-index");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("# non-concurrent-index", r.Out, StringComparison.Ordinal);
        Assert.Contains("CONCURRENTLY", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_list_names_every_rule()
    {
        var r = CliRunner.Run("explain", "--list");
        Assert.Equal(0, r.ExitCode);
        foreach (var rule in Stepwise.Analysis.Rules.RuleCatalog.All)
        {
            Assert.Contains(rule.Descriptor.Name, r.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Explain_covers_the_backfill_file_check()
    {
        var r = CliRunner.Run("explain", "invalid-backfill");
        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("# invalid-backfill", r.Out, StringComparison.Ordinal);
        Assert.Contains("-- stepwise:backfill [name=NAME]", r.Out, StringComparison.Ordinal);
        Assert.Contains("batch-time=", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_rule_suggests_close_names()
    {
        var r = CliRunner.Run("explain", "concurrent-index");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("non-concurrent-index", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_explains_the_lint_command()
    {
        var r = CliRunner.Run("lint", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--format", r.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes", r.Out, StringComparison.Ordinal);
    }
}
