namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Every migration layout Stepwise reads, and the tools <c>baseline --from</c> knows. A new layout is one file
/// implementing <see cref="IMigrationLayout"/> plus one line in <see cref="Layouts"/>. Order matters only for
/// detection ties (see <see cref="LayoutDetection"/>).
/// </summary>
internal static class LayoutRegistry
{
    public static IReadOnlyList<IMigrationLayout> Layouts { get; } =
    [
        new StepwiseLayout(),
        new GolangMigrateLayout(),
        new FlywayLayout(),
        new DbmateLayout(),
        new PrismaLayout(),
        new DrizzleLayout(),
        new GooseLayout(),
        new SqlMigrateLayout(),
        new DieselLayout(),
        new SqlxLayout(),
        new AtlasLayout(),
        new LiquibaseLayout(),
        new PopLayout(),
        new DbUpLayout(),
        new EvolveLayout(),
        new GrateLayout(),
        new RoundhouseLayout(),
    ];

    /// <summary>Tools with a history table but no folder layout Stepwise reads (their SQL comes through stdin).</summary>
    private static IReadOnlyList<ForeignTool> HistoryOnly { get; } =
    [
        // Kysely: one row per applied migration, named by its key in the migration provider (the file's stem)
        ForeignTool.Of("kysely", "kysely_migration", "name"),
    ];

    /// <summary>Every tool <c>baseline --from</c> reads: the layouts' history tables, then the history-only tools.</summary>
    public static IReadOnlyList<ForeignTool> ForeignTools { get; } =
        [.. Layouts.Select(l => l.History).OfType<ForeignTool>(), .. HistoryOnly];
}
