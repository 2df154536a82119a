using System.Globalization;

namespace Stepwise.Migrations.Layouts;

/// <summary>Stepwise's own layout: <c>{version}_{name}.up.sql</c> and an optional <c>.down.sql</c>.</summary>
internal sealed class StepwiseLayout : IMigrationLayout
{
    public string Name => "stepwise";

    public IReadOnlyList<string> Aliases => ["native"];

    public string Looks => "{version}_{name}.up.sql (stepwise, golang-migrate, sqlx)";

    public ForeignTool? History => null;

    public LayoutDetection? Detect(FolderScan scan)
    {
        var (count, otherExtension) = UpDownLayout.Count(scan);
        return count == 0 || otherExtension is not null ? null
            : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "{version}_{name}.up.sql/.down.sql file")} (golang-migrate uses the same names: give the layout golang-migrate to read it as one)");
    }

    public List<Migration> Load(FolderScan scan) => UpDownLayout.Load(scan, golangMigrate: false);

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description) => UpDownLayout.New(time, name, description);
}

/// <summary>golang-migrate: <c>{version}_{title}.up|down.{ext}</c>, the same file names as Stepwise; versions are uint64.</summary>
internal sealed class GolangMigrateLayout : IMigrationLayout
{
    public string Name => "golang-migrate";

    public IReadOnlyList<string> Aliases => ["migrate", "golang", "golang_migrate", "go-migrate"];

    public string Looks => "{version}_{title}.up.sql (golang-migrate)";

    // one row, the current version; everything up to it was applied
    public ForeignTool? History { get; } = new("golang-migrate", new Engines.ForeignHistory("golang-migrate", "schema_migrations", "version", [new("dirty", Engines.HistoryTest.IsFalse)]), ForeignMatch.CurrentVersion);

    public LayoutDetection? Detect(FolderScan scan)
    {
        var (count, otherExtension) = UpDownLayout.Count(scan);
        return count == 0 || otherExtension is null ? null
            : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "{version}_{name}.up/.down file")}, and {otherExtension} has an extension only golang-migrate uses");
    }

    public List<Migration> Load(FolderScan scan) => UpDownLayout.Load(scan, golangMigrate: true);

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description) => UpDownLayout.New(time, name, description);
}

/// <summary>
/// The files of Stepwise's native layout and golang-migrate's, which share names:
/// <c>{version}_{name}.up.sql</c> and an optional <c>{version}_{name}.down.sql</c>, directly in the folder.
/// Versions are compared as numbers, as golang-migrate does (it parses them as uint64).
/// </summary>
internal static class UpDownLayout
{
    /// <summary>How many files are named like up/down migrations, and the first with an extension other than .sql.</summary>
    public static (int Count, string? OtherExtension) Count(FolderScan scan)
    {
        var count = 0;
        string? otherExtension = null;
        foreach (var name in scan.FileNames())
        {
            var m = FileNamePatterns.UpDown().Match(name);
            if (m.Success)
            {
                count++;
                if (!m.Groups[4].Value.Equals("sql", StringComparison.OrdinalIgnoreCase))
                {
                    otherExtension ??= name;
                }
            }
        }

        return (count, otherExtension);
    }

    public static string Files(int n, string what, string? plural = null) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? what : plural ?? what + "s");

    /// <summary>A timestamped up/down pair.</summary>
    public static NewMigration New(DateTime time, string name, string description)
    {
        var version = Timestamp(time);
        return new NewMigration(version, [($"{version}_{name}.up.sql", $"-- {description}\n"), ($"{version}_{name}.down.sql", $"-- undo {description}\n")]);
    }

    /// <summary>yyyyMMddHHmmss.</summary>
    public static string Timestamp(DateTime time) => time.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private sealed class Entry
    {
        public required string Version { get; init; }

        public string? Up { get; set; }

        public string? Down { get; set; }
    }

    public static List<Migration> Load(FolderScan scan, bool golangMigrate)
    {
        var entries = new SortedDictionary<VersionKey, Entry>();
        foreach (var name in scan.FileNames())
        {
            var m = FileNamePatterns.UpDown().Match(name);
            if (!m.Success)
            {
                ReportUnmatched(scan, name);
                continue;
            }

            var version = m.Groups[1].Value;
            var isUp = m.Groups[3].ValueSpan.SequenceEqual("up");
            var extension = m.Groups[4].Value;
            if (!extension.Equals("sql", StringComparison.Ordinal))
            {
                if (extension.Equals("sql", StringComparison.OrdinalIgnoreCase))
                {
                    scan.Error(name, "the extension must be lower-case '.sql'; migration tools match it exactly, so this file is never applied");
                }
                else
                {
                    scan.Warning(name, $"has the extension '.{extension}'; only .sql files are read as SQL migrations");
                }

                continue;
            }

            if (golangMigrate && !ulong.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                scan.Error(name, $"version {version} does not fit golang-migrate's 64-bit unsigned version");
            }

            var key = VersionKey.Numeric(version);
            if (!entries.TryGetValue(key, out var entry))
            {
                entry = new Entry { Version = version };
                entries.Add(key, entry);
            }

            var existing = isUp ? entry.Up : entry.Down;
            if (existing is not null)
            {
                scan.Error(name, $"duplicate version {version}: {scan.DisplayPath(existing)} has the same version");
                continue;
            }

            if (isUp)
            {
                entry.Up = name;
            }
            else
            {
                entry.Down = name;
            }
        }

        var migrations = new List<Migration>();
        foreach (var (key, entry) in entries)
        {
            if (entry.Up is null)
            {
                scan.Error(entry.Down!, $"is a down migration without an up migration (no {entry.Version}_*.up.sql)");
                continue;
            }

            var upMatch = FileNamePatterns.UpDown().Match(entry.Up);
            if (entry.Down is not null)
            {
                var downName = FileNamePatterns.UpDown().Match(entry.Down).Groups[2].Value;
                if (!downName.Equals(upMatch.Groups[2].Value, StringComparison.Ordinal))
                {
                    scan.Warning(entry.Down, $"is paired with {scan.DisplayPath(entry.Up)} by version, but the names differ");
                }
            }

            var up = scan.ReadScript(entry.Up);
            var down = entry.Down is null ? null : scan.ReadScript(entry.Down);
            if (up is null)
            {
                continue;
            }

            migrations.Add(new Migration
            {
                Version = upMatch.Groups[1].Value,
                Name = upMatch.Groups[2].Value,
                OrderKey = key,
                Up = Scripts.From(up),
                Down = down is null ? null : Scripts.From(down),
            });
        }

        return migrations;
    }

    private static void ReportUnmatched(FolderScan scan, string name)
    {
        if (!FileNamePatterns.IsSqlFile(name))
        {
            return;
        }

        if (!FileNamePatterns.StartsWithDigit(name))
        {
            scan.Warning(name, "is not named like a migration ({version}_{name}.up.sql); it is ignored");
            return;
        }

        var digits = name.TakeWhile(char.IsAsciiDigit).Count();
        var hint = name[digits] != '_'
            ? "put '_' between the version and the name"
            : name.EndsWith(".sql", StringComparison.Ordinal) ? "name it {version}_{name}.up.sql (and .down.sql for its down migration)"
            : "the extension must be lower-case '.sql'";
        scan.Error(name, $"looks like a migration but does not match {{version}}_{{name}}.up.sql or .down.sql ({hint}), so it is never applied");
    }
}
