using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// sql-migrate (rubenv/sql-migrate): any <c>.sql</c> file with a <c>-- +migrate Up</c> section and an optional
/// <c>-- +migrate Down</c>; <c>notransaction</c> on a marker runs that direction outside a transaction;
/// <c>-- +migrate StatementBegin</c> / <c>StatementEnd</c> are kept as comments. Ordered as sql-migrate orders
/// them: by the number a name starts with when both have one, else by name. History: <c>gorp_migrations</c>,
/// whose <c>id</c> is the file's name.
/// </summary>
internal sealed class SqlMigrateLayout : IMigrationLayout
{
    public string Name => "sql-migrate";

    public IReadOnlyList<string> Aliases => ["sqlmigrate", "sql_migrate"];

    public string Looks => "*.sql with a '-- +migrate Up' line (sql-migrate)";

    public ForeignTool? History { get; } = ForeignTool.Of("sql-migrate", "gorp_migrations", "id");

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = SectionFiles.CountWithMarker(scan, "-- +migrate Up");
        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "file")} with a '-- +migrate Up' line");
    }

    /// <summary>The number a name starts with, else the name (sql-migrate's order); a row of its history is the file name.</summary>
    public VersionKey ParseVersion(string version)
    {
        var stem = version.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ? version[..^4] : version;
        var digits = new string(stem.TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length > 0 ? VersionKey.Numeric(digits) : VersionKey.Named(stem);
    }

    public List<Migration> Load(FolderScan scan)
    {
        var byKey = new SortedDictionary<VersionKey, string>();
        foreach (var name in scan.FileNames())
        {
            if (FileNamePatterns.IsSqlFile(name))
            {
                SectionFiles.Add(scan, byKey, ParseVersion(name), Version(name), name);
            }
        }

        var migrations = new List<Migration>();
        foreach (var (key, name) in byKey)
        {
            var title = Title(name);
            if (SectionFiles.Read(scan, name, "sql-migrate", "-- +migrate Up", Version(name), key, title) is { } migration)
            {
                migrations.Add(migration);
            }
        }

        return migrations;
    }

    // the leading number, as sql-migrate orders by it; a name without one is its own version
    private static string Version(string name)
    {
        var stem = name[..^4];
        var digits = new string(stem.TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length > 0 ? digits : stem;
    }

    // what follows the leading number and its separator ('_' or '-', as `sql-migrate new` writes)
    private static string Title(string name)
    {
        var stem = name[..^4];
        var digits = stem.TakeWhile(char.IsAsciiDigit).Count();
        return digits == 0 || digits == stem.Length ? stem : stem[digits..].TrimStart('_', '-');
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        return new NewMigration(version, [($"{version}-{name}.sql", $"-- +migrate Up\n-- {description}\n\n-- +migrate Down\n-- undo {description}\n")]);
    }
}
