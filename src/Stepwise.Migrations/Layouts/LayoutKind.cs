namespace Stepwise.Migrations.Layouts;

/// <summary>
/// A migration-folder layout Stepwise reads: a handle on one registered layout (see <see cref="LayoutRegistry"/>).
/// Instances are unique per layout, so <c>==</c> compares layouts. The static properties name the layouts older
/// code refers to directly; every layout, old or new, is reached by name through <see cref="LayoutKinds"/> or
/// <see cref="All"/>, so adding one never touches this class.
/// </summary>
public sealed class LayoutKind
{
    private LayoutKind(IMigrationLayout definition)
    {
        Definition = definition;
    }

    /// <summary>Every layout, in detection tie-break order.</summary>
    public static IReadOnlyList<LayoutKind> All { get; } = LayoutRegistry.Layouts.Select(l => new LayoutKind(l)).ToList();

    /// <summary>Stepwise's own: <c>{digits}_{name}.up.sql</c> and an optional <c>.down.sql</c>.</summary>
    public static LayoutKind Stepwise { get; } = Named("stepwise");

    /// <summary>golang-migrate: <c>{version}_{title}.up|down.{ext}</c>; the same file names as Stepwise.</summary>
    public static LayoutKind GolangMigrate { get; } = Named("golang-migrate");

    /// <summary>Flyway: <c>V1.2__desc.sql</c>, <c>U1.2__desc.sql</c> (undo), <c>B1__desc.sql</c> (baseline), <c>R__desc.sql</c>.</summary>
    public static LayoutKind Flyway { get; } = Named("flyway");

    /// <summary>Prisma: <c>{dir}/migration.sql</c> with <c>migration_lock.toml</c> at the root.</summary>
    public static LayoutKind Prisma { get; } = Named("prisma");

    /// <summary>Drizzle Kit: <c>NNNN_tag.sql</c> listed in <c>meta/_journal.json</c>.</summary>
    public static LayoutKind Drizzle { get; } = Named("drizzle");

    /// <summary>dbmate: one <c>{version}*.sql</c> file per migration with <c>-- migrate:up</c> / <c>-- migrate:down</c> sections.</summary>
    public static LayoutKind Dbmate { get; } = Named("dbmate");

    /// <summary>The canonical user-facing name.</summary>
    public string Name => Definition.Name;

    /// <summary>Other accepted spellings of the name.</summary>
    public IReadOnlyList<string> Aliases => Definition.Aliases;

    /// <summary>What the layout's files look like, for help text.</summary>
    public string Looks => Definition.Looks;

    /// <summary>The tool's history table read by <c>baseline --from</c>, or null when the tool keeps none.</summary>
    public ForeignTool? History => Definition.History;

    internal IMigrationLayout Definition { get; }

    /// <summary>The order key of a version as this layout writes it (a file name's version, or a version read from
    /// another tool's history table, e.g. golang-migrate's bigint 1 equals the file's 0001).</summary>
    public VersionKey ParseVersion(string version) => Definition.ParseVersion(version);

    /// <summary>The layout with this canonical name or alias (case and spaces ignored), or null.</summary>
    public static LayoutKind? Find(string? name)
    {
        var key = name?.Trim().ToLowerInvariant();
        return string.IsNullOrEmpty(key) ? null : All.FirstOrDefault(l => l.Name == key || l.Aliases.Contains(key));
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static LayoutKind Named(string name) => All.First(l => l.Name == name);
}

/// <summary>Layout names as users type them.</summary>
public static class LayoutKinds
{
    /// <summary>The names accepted by <see cref="TryParse"/> (canonical spellings), for help text and validation.</summary>
    public static IReadOnlyList<string> Names { get; } = LayoutKind.All.Select(l => l.Name).ToList();

    /// <summary>Every accepted spelling: names and aliases.</summary>
    public static IReadOnlyList<string> Spellings { get; } = LayoutKind.All.SelectMany(l => l.Aliases.Prepend(l.Name)).ToList();

    /// <summary>Parses a user-facing layout name or alias. Case and surrounding spaces are ignored. "auto" is not a
    /// layout: see <see cref="TryParseOrAuto"/>. On failure <paramref name="layout"/> is <see cref="LayoutKind.Stepwise"/>.</summary>
    public static bool TryParse(string? name, out LayoutKind layout)
    {
        var found = LayoutKind.Find(name);
        layout = found ?? LayoutKind.Stepwise;
        return found is not null;
    }

    /// <summary>Like <see cref="TryParse"/>, but "auto", an empty string or null mean "detect it":
    /// <paramref name="layout"/> is then null, the value <see cref="MigrationFolder.Load(string, LayoutKind?)"/> takes for detection.</summary>
    public static bool TryParseOrAuto(string? name, out LayoutKind? layout)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            layout = null;
            return true;
        }

        layout = LayoutKind.Find(trimmed);
        return layout is not null;
    }
}
