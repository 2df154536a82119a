using System.Text.RegularExpressions;

namespace Stepwise.Migrations.Layouts;

/// <summary>The file-name patterns of the layouts. [0-9], not \d, which in .NET also matches non-ASCII digits.</summary>
internal static partial class FileNamePatterns
{
    /// <summary>golang-migrate's own pattern, also Stepwise's: version, title, direction, extension.</summary>
    [GeneratedRegex(@"^([0-9]+)_(.*)\.(down|up)\.(.*)$", RegexOptions.CultureInvariant)]
    public static partial Regex UpDown();

    /// <summary>Flyway V (versioned), U (undo), B (baseline): prefix, version, description.</summary>
    [GeneratedRegex(@"^([VUB])([0-9]+(?:[._][0-9]+)*)__(.*)\.sql$", RegexOptions.CultureInvariant)]
    public static partial Regex FlywayVersioned();

    [GeneratedRegex(@"^R__(.*)\.sql$", RegexOptions.CultureInvariant)]
    public static partial Regex FlywayRepeatable();

    /// <summary>Names a Flyway user probably meant as a migration: a prefix letter then a digit or '_'.</summary>
    [GeneratedRegex(@"^[VUBRvubr][0-9_]", RegexOptions.CultureInvariant)]
    public static partial Regex FlywayLike();

    /// <summary>Flyway callbacks (beforeMigrate.sql, afterEachMigrate__x.sql, createSchema.sql …).</summary>
    [GeneratedRegex(@"^(before|after|createSchema)[A-Za-z]*(__.*)?\.sql$", RegexOptions.CultureInvariant)]
    public static partial Regex FlywayCallback();

    /// <summary>dbmate's pattern: the leading digits are the version.</summary>
    [GeneratedRegex(@"^([0-9]+).*\.sql$", RegexOptions.CultureInvariant)]
    public static partial Regex Dbmate();

    /// <summary>Drizzle and Prisma names: leading digits, '_', the rest.</summary>
    [GeneratedRegex(@"^([0-9]+)_(.*)$", RegexOptions.CultureInvariant)]
    public static partial Regex NumberedName();

    /// <summary>Prisma's migration_lock.toml: provider = "postgresql".</summary>
    [GeneratedRegex(@"^[ \t]*provider[ \t]*=[ \t]*""([^""]*)""", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    public static partial Regex PrismaProvider();

    /// <summary>Flyway script configuration: executeInTransaction=false.</summary>
    [GeneratedRegex(@"^[ \t]*executeInTransaction[ \t]*=[ \t]*false[ \t]*\r?$", RegexOptions.CultureInvariant | RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    public static partial Regex FlywayNoTransaction();

    public static bool IsSqlFile(string name) => name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase);

    public static bool StartsWithDigit(string name) => name.Length > 0 && char.IsAsciiDigit(name[0]);

    /// <summary>Splits "0001_add_users" into ("0001", "add_users"); a name without leading digits is its own version.</summary>
    public static (string Version, string Name) SplitNumbered(string name)
    {
        var m = NumberedName().Match(name);
        return m.Success ? (m.Groups[1].Value, m.Groups[2].Value) : (name, name);
    }
}
