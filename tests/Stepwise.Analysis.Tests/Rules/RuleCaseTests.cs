using Stepwise.Analysis.Reporting;

namespace Stepwise.Analysis.Tests.Rules;

public sealed class RuleCaseTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in RuleCase.All())
        {
            data.Add(c.Rule + "/" + c.FileName);
        }

        return data;
    }

    private static RuleCase Find(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        var rule = id[..slash];
        return RuleCase.Load(rule, Path.Combine(RepoPaths.RulesFolder, rule, "cases", id[(slash + 1)..]));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rule_fires_exactly_on_its_cases(string id)
    {
        var c = Find(id);
        var (last, all) = c.Run();
        Assert.DoesNotContain(all, f => f.Rule == Linter.SyntaxErrorRule);
        var mine = last.Where(f => f.Rule == c.Rule).ToList();
        if (!c.ShouldFire)
        {
            Assert.True(mine.Count == 0, $"{id} must not fire, but fired: {string.Join(" | ", mine.Select(f => $"{f.Start.Line}:{f.Start.Column} {f.Message}"))}");
            return;
        }

        if (c.ExpectedCount is { } n)
        {
            Assert.True(mine.Count == n, $"{id} must fire {n} times, fired {mine.Count}: {string.Join(" | ", mine.Select(f => f.Message))}");
        }
        else
        {
            Assert.True(mine.Count > 0, $"{id} must fire but did not. Findings: {string.Join(" | ", last.Select(f => f.Rule + ": " + f.Message))}");
        }

        Assert.All(mine, f => Assert.False(string.IsNullOrWhiteSpace(f.Help)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Applying_a_rules_fix_silences_it_and_keeps_the_sql_readable(string id)
    {
        var c = Find(id);
        if (!c.ShouldFire)
        {
            return;
        }

        var (last, _) = c.Run();
        var fixes = last.Where(f => f.Rule == c.Rule && f.Fix is not null).ToList();
        if (fixes.Count == 0 || fixes.Count != last.Count(f => f.Rule == c.Rule))
        {
            return; // only cases where every finding of the rule is mechanically fixable
        }

        var edits = fixes.SelectMany(f => f.Fix!.Edits).ToList();
        var fixedText = new Fix("all", edits).Apply(c.Migrations[^1].Text);
        var (after, all) = c.Run(fixedText);
        Assert.DoesNotContain(all, f => f.Rule == Linter.SyntaxErrorRule);
        Assert.DoesNotContain(after, f => f.Rule == c.Rule);
    }
}
