using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;

namespace Stepwise.Migrations.Tests.Lint;

/// <summary>Issue 14 "must show": a corpus of more than 1,500 migration files with up and down migrations,
/// linted as folders and as file lists (in a shuffled order, as a CI step over changed files passes them):
/// destructive rules say nothing about down migrations in either mode, and both modes find the same.</summary>
public sealed class CorpusTests
{
    private sealed record Run(LintSources Sources, LintReport Report)
    {
        public List<Finding> InDowns(Func<Finding, bool> filter)
        {
            var downs = Sources.Inputs.Where(i => i.IsDown).Select(i => i.Source).ToHashSet(ReferenceEqualityComparer.Instance);
            return [.. Report.Findings.Where(f => downs.Contains(f.Source) && filter(f))];
        }
    }

    private static bool IsDestructive(Finding f) => RuleCatalog.Find(f.Rule)?.Descriptor.Category == RuleCategory.Destructive;

    private static Run Lint(IReadOnlyList<string> paths, Stepwise.Migrations.Layouts.LayoutKind? layout)
    {
        var sources = LintSources.Read(paths, layout, () => TextReader.Null);
        Assert.Empty(sources.Errors);
        return new Run(sources, Linter.Lint(sources.Inputs, new LintOptions()));
    }

    private static string Key(Finding f) => $"{f.Path}:{f.Span.Start}-{f.Span.End} {f.Rule} {f.Message}";

    [Fact]
    public void Folder_and_file_list_give_the_same_findings_and_downs_get_no_destructive_ones()
    {
        using var dir = new TempFolder();
        var folders = MigrationCorpus.Write(dir.Path);
        Assert.True(folders.Sum(f => f.Files) >= 1500, $"the corpus has {folders.Sum(f => f.Files)} files");
        var shuffle = new Random(7);
        foreach (var folder in folders)
        {
            var asFolder = Lint([folder.Path], folder.Layout);
            Assert.Empty(asFolder.Sources.Problems);
            var files = Directory.GetFiles(folder.Path).Select(f => folder.Path + "/" + Path.GetFileName(f)).OrderBy(_ => shuffle.Next()).ToList();
            var asList = Lint(files, layout: null);

            // the corpus is not trivial: downs exist and hold drops and renames, ups get destructive findings
            Assert.Contains(asFolder.Sources.Inputs, i => i.IsDown && i.Source.Text.Contains("DROP TABLE", StringComparison.Ordinal));
            Assert.Contains(asFolder.Report.Findings, IsDestructive);

            Assert.Empty(asFolder.InDowns(IsDestructive));
            Assert.Empty(asList.InDowns(IsDestructive));
            Assert.Equal(asFolder.Sources.Inputs.Select(i => (i.Source.Path, i.IsDown, i.Source.Text)), asList.Sources.Inputs.Select(i => (i.Source.Path, i.IsDown, i.Source.Text)));
            Assert.Equal(asFolder.Report.Findings.Select(Key), asList.Report.Findings.Select(Key));

            // no finding comes from a schema corrupted by replaying a down as history
            Assert.DoesNotContain(asList.Report.Findings, f => f.Message.Contains("old type is unknown", StringComparison.Ordinal));
        }
    }
}
