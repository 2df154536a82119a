using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>How the values in a tool's history table name migrations of its folder.</summary>
public enum ForeignMatch
{
    /// <summary>Each row is an applied migration's version (or Prisma's directory name, or the file's stem
    /// <c>{version}_{name}</c>).</summary>
    Versions,

    /// <summary>golang-migrate: one row, the current version; everything up to it was applied.</summary>
    CurrentVersion,

    /// <summary>Drizzle: <c>created_at</c> is the journal entry's <c>when</c> (ms), not a version.</summary>
    JournalWhen,
}

/// <summary>Another tool whose history <c>baseline --from</c> reads: its history table as data (every engine reads
/// it the same way) and how its rows name migrations.</summary>
/// <param name="Name">The name users type after <c>--from</c>.</param>
/// <param name="History">The history table.</param>
/// <param name="Match">How its rows name migrations.</param>
public sealed record ForeignTool(string Name, ForeignHistory History, ForeignMatch Match)
{
    /// <summary>A tool whose history table has one column of applied versions, counted when <paramref name="conditions"/> hold.</summary>
    internal static ForeignTool Of(string name, string table, string column, params HistoryCondition[] conditions) =>
        new(name, new ForeignHistory(name, table, column, conditions), ForeignMatch.Versions);
}

/// <summary>The tools <c>baseline --from</c> knows: each layout's own history table
/// (<see cref="LayoutKind.History"/>), and tools without a folder layout (<see cref="LayoutRegistry"/>).</summary>
public static class ForeignTools
{
    /// <summary>Every known tool.</summary>
    public static IReadOnlyList<ForeignTool> All => LayoutRegistry.ForeignTools;

    /// <summary>The names, for help text and validation.</summary>
    public static IReadOnlyList<string> Names { get; } = LayoutRegistry.ForeignTools.Select(t => t.Name).ToList();

    /// <summary>A tool by name, or null.</summary>
    public static ForeignTool? Find(string? name) => All.FirstOrDefault(t => string.Equals(t.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
