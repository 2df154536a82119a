using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>How the versions in a tool's history table name migrations of its folder.</summary>
public enum ForeignMatch
{
    /// <summary>Each row is an applied migration's version (or Prisma's directory name).</summary>
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
public sealed record ForeignTool(string Name, ForeignHistory History, ForeignMatch Match);

/// <summary>The tools <c>baseline --from</c> knows. A layout with a history table adds one line here.</summary>
public static class ForeignTools
{
    /// <summary>Every known tool.</summary>
    public static IReadOnlyList<ForeignTool> All { get; } =
    [
        new("golang-migrate", new ForeignHistory("golang-migrate", "schema_migrations", "version", [new("dirty", HistoryTest.IsFalse)]), ForeignMatch.CurrentVersion),
        new("flyway", new ForeignHistory("flyway", "flyway_schema_history", "version", [new("success", HistoryTest.IsTrue), new("version", HistoryTest.IsNotNull)]), ForeignMatch.Versions),
        new("prisma", new ForeignHistory("prisma", "_prisma_migrations", "migration_name", [new("finished_at", HistoryTest.IsNotNull), new("rolled_back_at", HistoryTest.IsNull)]), ForeignMatch.Versions),
        new("drizzle", new ForeignHistory("drizzle", "__drizzle_migrations", "created_at", []) { PostgresSchema = "drizzle" }, ForeignMatch.JournalWhen),
        new("dbmate", new ForeignHistory("dbmate", "schema_migrations", "version", []), ForeignMatch.Versions),
    ];

    /// <summary>The names, for help text and validation.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(t => t.Name).ToList();

    /// <summary>A tool by name, or null.</summary>
    public static ForeignTool? Find(string? name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));
}
