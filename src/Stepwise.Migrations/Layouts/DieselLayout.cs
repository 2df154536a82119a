using System.Globalization;
using System.Text.RegularExpressions;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Diesel: one directory per migration, <c>{version}_{name}/up.sql</c> and <c>down.sql</c>, where the version is
/// a timestamp written <c>2024-01-02-000000</c> (or plain digits; Diesel drops the dashes, so the version
/// recorded is <c>20240102000000</c>). A <c>metadata.toml</c> with <c>run_in_transaction = false</c> runs the
/// migration outside a transaction. History: <c>__diesel_schema_migrations</c>, a row per applied version.
/// </summary>
internal sealed partial class DieselLayout : IMigrationLayout
{
    public string Name => "diesel";

    public string Looks => "{version}_{name}/up.sql and down.sql (Diesel)";

    public ForeignTool? History { get; } = ForeignTool.Of("diesel", "__diesel_schema_migrations", "version");

    [GeneratedRegex(@"^([0-9][0-9-]*)_(.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectoryName();

    [GeneratedRegex(@"^[ \t]*run_in_transaction[ \t]*=[ \t]*false[ \t]*\r?$", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex NoTransaction();

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = scan.DirectoryNames().Count(dir => scan.FileExists(FolderScan.Join(dir, "up.sql")));
        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "directory", "directories")} with an up.sql");
    }

    public VersionKey ParseVersion(string version)
    {
        var digits = version.Replace("-", string.Empty, StringComparison.Ordinal);
        return VersionKey.IsDigits(digits) ? VersionKey.Numeric(digits) : VersionKey.Named(version);
    }

    public List<Migration> Load(FolderScan scan)
    {
        foreach (var name in scan.FileNames())
        {
            if (FileNamePatterns.IsSqlFile(name))
            {
                scan.Warning(name, "Diesel reads only <version>_<name>/up.sql and down.sql; this file is ignored");
            }
        }

        var byKey = new SortedDictionary<VersionKey, string>();
        foreach (var dir in scan.DirectoryNames())
        {
            var m = DirectoryName().Match(dir);
            if (!m.Success)
            {
                scan.Warning(dir, "is not named like a Diesel migration (<version>_<name>, e.g. 2024-01-02-000000_create_users); it is ignored");
                continue;
            }

            if (!scan.FileExists(FolderScan.Join(dir, "up.sql")))
            {
                scan.Error(dir, "has no up.sql; Diesel refuses a migration without one");
                continue;
            }

            var version = Version(m.Groups[1].Value);
            SectionFiles.Add(scan, byKey, ParseVersion(version), version, dir);
        }

        var migrations = new List<Migration>();
        foreach (var (key, dir) in byKey)
        {
            var up = scan.ReadScript(FolderScan.Join(dir, "up.sql"));
            var downPath = FolderScan.Join(dir, "down.sql");
            var down = scan.FileExists(downPath) ? scan.ReadScript(downPath) : null;
            if (up is null)
            {
                continue;
            }

            var metadata = FolderScan.Join(dir, "metadata.toml");
            var noTransaction = scan.FileExists(metadata) && scan.PeekText(metadata) is { } toml && NoTransaction().IsMatch(toml)
                ? "run_in_transaction = false in metadata.toml"
                : null;
            var m = DirectoryName().Match(dir);
            migrations.Add(new Migration
            {
                Version = Version(m.Groups[1].Value),
                Name = m.Groups[2].Value,
                OrderKey = key,
                Up = Scripts.From(up, noTransaction),
                Down = down is null ? null : Scripts.From(down, noTransaction),
            });
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var dir = time.ToString("yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture) + "_" + name;
        return new NewMigration(UpDownLayout.Timestamp(time), [($"{dir}/up.sql", $"-- {description}\n"), ($"{dir}/down.sql", $"-- undo {description}\n")]);
    }

    // what Diesel records: the directory's version without dashes
    private static string Version(string written) => written.Replace("-", string.Empty, StringComparison.Ordinal);
}
