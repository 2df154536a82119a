using System.Xml.Linq;

namespace Stepwise.Migrations.Tests;

/// <summary>
/// The dependency rules of src/, read from the ProjectReference items of src/*/*.csproj: engines see only the
/// abstractions (never the linter or the runner), the abstractions see only Stepwise.Sql, nothing depends on
/// the CLI, and there are no cycles.
/// </summary>
public sealed class ProjectReferenceGraphTests
{
    private static readonly string[] Engines = ["Stepwise.PostgreSql", "Stepwise.MySql", "Stepwise.Sqlite"];

    /// <summary>Project name → the names of the projects it references directly.</summary>
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> Graph = new(ReadGraph);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Stepwise.slnx above {AppContext.BaseDirectory}");
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadGraph()
    {
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var references = XDocument.Load(project).Descendants()
                .Where(e => e.Name.LocalName == "ProjectReference")
                .Select(e => e.Attribute("Include")?.Value ?? throw new InvalidOperationException($"{project}: a ProjectReference without Include"))
                .Select(include => Path.GetFileNameWithoutExtension(include.Replace('\\', '/')))
                .Order(StringComparer.Ordinal)
                .ToList();
            graph.Add(Path.GetFileNameWithoutExtension(project), references);
        }

        return graph;
    }

    [Fact]
    public void The_graph_is_read_from_every_src_project()
    {
        // guards the other facts against passing on an empty or partial graph
        Assert.Superset(
            new HashSet<string>(["Stepwise.Sql", "Stepwise.Analysis", "Stepwise.Engines.Abstractions", "Stepwise.Migrations", "Stepwise.Cli", .. Engines]),
            Graph.Value.Keys.ToHashSet());
        Assert.Contains("Stepwise.Engines.Abstractions", Graph.Value["Stepwise.Migrations"]);
    }

    [Theory]
    [InlineData("Stepwise.PostgreSql")]
    [InlineData("Stepwise.MySql")]
    [InlineData("Stepwise.Sqlite")]
    public void An_engine_references_only_the_engine_abstractions(string engine) =>
        Assert.Equal(["Stepwise.Engines.Abstractions"], Graph.Value[engine]);

    [Fact]
    public void The_engine_abstractions_reference_only_the_sql_library() =>
        Assert.Equal(["Stepwise.Sql"], Graph.Value["Stepwise.Engines.Abstractions"]);

    [Fact]
    public void No_src_project_references_the_cli()
    {
        var offenders = Graph.Value.Where(p => p.Value.Contains("Stepwise.Cli")).Select(p => p.Key);
        Assert.Empty(offenders);
    }

    [Fact]
    public void The_project_graph_has_no_cycles()
    {
        var cycle = FindCycle(Graph.Value);
        Assert.True(cycle is null, $"reference cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void A_cycle_is_found_when_there_is_one()
    {
        // the cycle search itself, on a made-up graph
        var graph = new Dictionary<string, IReadOnlyList<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C", "D"],
            ["C"] = [],
            ["D"] = ["B"],
        };
        Assert.Equal(["B", "D", "B"], FindCycle(graph));
        Assert.Null(FindCycle(new Dictionary<string, IReadOnlyList<string>> { ["A"] = ["B"], ["B"] = [], ["C"] = ["A", "B"] }));
    }

    /// <summary>A path that comes back to where it started, or null (depth-first, white/grey/black).</summary>
    private static List<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlyList<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0)
            {
                return [.. path[at..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph.TryGetValue(node, out var refs) ? refs : [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }
}
