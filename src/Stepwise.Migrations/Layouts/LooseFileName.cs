namespace Stepwise.Migrations.Layouts;

/// <summary>
/// What the name of a migration file given on its own (a file list, as a CI step over changed files
/// passes) says: its version, and whether it is a down (undo) migration. Recognised:
/// <list type="bullet">
/// <item><c>{version}_{name}.up.sql</c> / <c>.down.sql</c> (Stepwise, golang-migrate, sqlx, pop's
/// <c>{version}_{name}.{dialect}.down.sql</c>) and <c>{version}_{name}_up.sql</c> / <c>_down.sql</c>;</item>
/// <item><c>up.sql</c> / <c>down.sql</c> / <c>migration.sql</c> in a migration folder named
/// <c>{version}_{name}</c> (Diesel's <c>2024-01-02-000000_x/down.sql</c>, Prisma's <c>…/migration.sql</c>);</item>
/// <item>Flyway <c>V{version}__x.sql</c>, <c>B{version}__x.sql</c> and undo <c>U{version}__x.sql</c>;</item>
/// <item>any other name: its leading digits are the version (dbmate, goose, sql-migrate, Drizzle).</item>
/// </list>
/// A version compares as numbers (leading zeros and Diesel's dashes ignored), dotted segment by segment.
/// </summary>
public sealed record LooseFileName(VersionKey? Version, bool IsDown)
{
    /// <summary>Reads the version and direction from a file's name (and, for up.sql/down.sql/migration.sql, its folder's).</summary>
    /// <param name="path">The file's path; the file need not exist.</param>
    public static LooseFileName Of(string path)
    {
        var name = Path.GetFileName(path);
        var lower = name.ToLowerInvariant();
        if (lower is "up.sql" or "down.sql" or "migration.sql")
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)) ?? string.Empty);
            return new LooseFileName(LeadingVersion(folder), lower == "down.sql");
        }

        var flyway = FileNamePatterns.FlywayVersioned().Match(name);
        if (flyway.Success)
        {
            var kind = flyway.Groups[1].Value == "B" ? MigrationKind.Baseline : MigrationKind.Versioned;
            return new LooseFileName(VersionKey.Dotted(flyway.Groups[2].Value, kind), flyway.Groups[1].Value == "U");
        }

        var isDown = lower.EndsWith(".down.sql", StringComparison.Ordinal) || lower.EndsWith("_down.sql", StringComparison.Ordinal);
        return new LooseFileName(LeadingVersion(name), isDown);
    }

    /// <summary>The digits a name starts with ("0002_x" → 2; Diesel's "2024-01-02-000000_x" → 20240102000000), or null.</summary>
    private static VersionKey? LeadingVersion(string name)
    {
        var digits = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (char.IsAsciiDigit(ch))
            {
                digits.Append(ch);
            }
            else if (ch != '-' || digits.Length == 0 || i + 1 >= name.Length || !char.IsAsciiDigit(name[i + 1]))
            {
                break;
            }
        }

        return digits.Length == 0 ? null : VersionKey.Numeric(digits.ToString());
    }
}
