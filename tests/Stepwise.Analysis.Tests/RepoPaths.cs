namespace Stepwise.Analysis.Tests;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string RulesFolder => Path.Combine(Root, "src", "Stepwise.Analysis", "Rules");

    public static string DocsFolder => Path.Combine(Root, "docs", "rules");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Stepwise.slnx not found above " + AppContext.BaseDirectory);
    }
}
