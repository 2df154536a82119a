using System.Text.RegularExpressions;
using Stepwise.Analysis.Rules;

namespace Stepwise.Analysis.Tests.Rules;

public sealed partial class CatalogTests
{
    [GeneratedRegex("^[a-z]+(-[a-z]+)*$")]
    private static partial Regex KebabCase();

    [Fact]
    public void Rule_names_are_unique_and_kebab_case()
    {
        var names = RuleCatalog.All.Select(r => r.Descriptor.Name).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Matches(KebabCase(), n));
    }

    [Fact]
    public void Every_rule_type_is_in_the_catalog_once()
    {
        var types = typeof(Rule).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Rule)) && !t.IsAbstract).ToList();
        var listed = RuleCatalog.All.Select(r => r.GetType()).ToList();
        Assert.Equal(types.OrderBy(t => t.Name, StringComparer.Ordinal), listed.OrderBy(t => t.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_rule_has_a_folder_with_doc_and_both_kinds_of_case()
    {
        foreach (var rule in RuleCatalog.All)
        {
            var name = rule.Descriptor.Name;
            var folder = Path.Combine(RepoPaths.RulesFolder, name);
            Assert.True(Directory.Exists(folder), $"missing folder Rules/{name}");
            Assert.True(File.Exists(Path.Combine(folder, rule.GetType().Name + ".cs")), $"Rules/{name} must hold {rule.GetType().Name}.cs");
            Assert.True(File.Exists(Path.Combine(folder, "README.md")), $"missing Rules/{name}/README.md");
            var cases = Directory.GetFiles(Path.Combine(folder, "cases"), "*.sql").Select(Path.GetFileName).ToList();
            Assert.True(cases.Any(c => c!.StartsWith("fire", StringComparison.Ordinal)), $"{name} has no fire-*.sql case");
            Assert.True(cases.Any(c => c!.StartsWith("ok", StringComparison.Ordinal)), $"{name} has no ok-*.sql case");
            var doc = RuleCatalog.Doc(name);
            Assert.NotNull(doc);
            Assert.StartsWith("# " + name, doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docs_rules_folder_matches_the_rule_docs()
    {
        var update = Environment.GetEnvironmentVariable("STEPWISE_UPDATE_DOCS") == "1";
        Directory.CreateDirectory(RepoPaths.DocsFolder);
        var expected = new HashSet<string>(StringComparer.Ordinal) { "README.md" };
        var index = new System.Text.StringBuilder("# Stepwise lint rules\n\nGenerated from `src/Stepwise.Analysis/Rules/*/README.md` (a test keeps them in sync; run the tests with `STEPWISE_UPDATE_DOCS=1` to refresh).\n\n| rule | severity | what it finds |\n|---|---|---|\n");
        foreach (var rule in RuleCatalog.All.OrderBy(r => r.Descriptor.Name, StringComparer.Ordinal))
        {
            var name = rule.Descriptor.Name;
            expected.Add(name + ".md");
            index.Append("| [").Append(name).Append("](").Append(name).Append(".md) | ").Append(rule.Descriptor.DefaultSeverity.ToString().ToLowerInvariant()).Append(" | ").Append(rule.Descriptor.Title).Append(" |\n");
            var source = File.ReadAllText(Path.Combine(RepoPaths.RulesFolder, name, "README.md"));
            var target = Path.Combine(RepoPaths.DocsFolder, name + ".md");
            if (update)
            {
                File.WriteAllText(target, source);
            }

            Assert.True(File.Exists(target), $"docs/rules/{name}.md is missing (STEPWISE_UPDATE_DOCS=1 dotnet test regenerates it)");
            Assert.True(File.ReadAllText(target) == source, $"docs/rules/{name}.md differs from Rules/{name}/README.md (STEPWISE_UPDATE_DOCS=1 dotnet test regenerates it)");
        }

        var indexPath = Path.Combine(RepoPaths.DocsFolder, "README.md");
        if (update)
        {
            File.WriteAllText(indexPath, index.ToString());
        }

        Assert.Equal(index.ToString(), File.Exists(indexPath) ? File.ReadAllText(indexPath) : string.Empty);
        var extra = Directory.GetFiles(RepoPaths.DocsFolder).Select(Path.GetFileName).Where(f => !expected.Contains(f!)).ToList();
        Assert.True(extra.Count == 0, "docs/rules has files for no rule: " + string.Join(", ", extra));
    }
}
