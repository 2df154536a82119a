namespace Stepwise.Migrations.Layouts;

/// <summary>The migration-folder layouts Stepwise reads.</summary>
public enum LayoutKind
{
    /// <summary>Stepwise's own: <c>{digits}_{name}.up.sql</c> and an optional <c>.down.sql</c>.</summary>
    Stepwise,

    /// <summary>golang-migrate: <c>{version}_{title}.up|down.{ext}</c>; the same file names as Stepwise.</summary>
    GolangMigrate,

    /// <summary>Flyway: <c>V1.2__desc.sql</c>, <c>U1.2__desc.sql</c> (undo), <c>B1__desc.sql</c> (baseline), <c>R__desc.sql</c>.</summary>
    Flyway,

    /// <summary>Prisma: <c>{dir}/migration.sql</c> with <c>migration_lock.toml</c> at the root.</summary>
    Prisma,

    /// <summary>Drizzle Kit: <c>NNNN_tag.sql</c> listed in <c>meta/_journal.json</c>.</summary>
    Drizzle,

    /// <summary>dbmate: one <c>{version}*.sql</c> file per migration with <c>-- migrate:up</c> / <c>-- migrate:down</c> sections.</summary>
    Dbmate,
}

public static class LayoutKinds
{
    /// <summary>The names accepted by <see cref="TryParse"/>, canonical spelling first, for help text.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["stepwise", "golang-migrate", "flyway", "prisma", "drizzle", "dbmate"];

    /// <summary>Parses a user-facing layout name: stepwise, golang-migrate (migrate, golang), flyway,
    /// prisma, drizzle, dbmate. Case and surrounding spaces are ignored. "auto" is not a layout: see
    /// <see cref="TryParseOrAuto"/>.</summary>
    public static bool TryParse(string? name, out LayoutKind layout)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "stepwise" or "native":
                layout = LayoutKind.Stepwise;
                return true;
            case "golang-migrate" or "migrate" or "golang" or "golang_migrate" or "go-migrate":
                layout = LayoutKind.GolangMigrate;
                return true;
            case "flyway":
                layout = LayoutKind.Flyway;
                return true;
            case "prisma":
                layout = LayoutKind.Prisma;
                return true;
            case "drizzle" or "drizzle-kit":
                layout = LayoutKind.Drizzle;
                return true;
            case "dbmate":
                layout = LayoutKind.Dbmate;
                return true;
            default:
                layout = LayoutKind.Stepwise;
                return false;
        }
    }

    /// <summary>Like <see cref="TryParse"/>, but "auto", an empty string or null mean "detect it":
    /// <paramref name="layout"/> is then null, the value <see cref="MigrationFolder.Load"/> takes for detection.</summary>
    public static bool TryParseOrAuto(string? name, out LayoutKind? layout)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            layout = null;
            return true;
        }

        if (TryParse(trimmed, out var parsed))
        {
            layout = parsed;
            return true;
        }

        layout = null;
        return false;
    }

    /// <summary>The canonical user-facing name, the spelling <see cref="TryParse"/> accepts first.</summary>
    public static string Name(this LayoutKind layout) => layout switch
    {
        LayoutKind.GolangMigrate => "golang-migrate",
        LayoutKind.Flyway => "flyway",
        LayoutKind.Prisma => "prisma",
        LayoutKind.Drizzle => "drizzle",
        LayoutKind.Dbmate => "dbmate",
        _ => "stepwise",
    };
}
