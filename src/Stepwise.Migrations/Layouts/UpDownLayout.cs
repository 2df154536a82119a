namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Stepwise's native layout and golang-migrate's, which share file names:
/// <c>{version}_{name}.up.sql</c> and an optional <c>{version}_{name}.down.sql</c>, directly in the folder.
/// Versions are compared as numbers, as golang-migrate does (it parses them as uint64).
/// </summary>
internal static class UpDownLayout
{
    private sealed class Entry
    {
        public required string Version { get; init; }

        public string? Up { get; set; }

        public string? Down { get; set; }
    }

    public static List<Migration> Load(FolderScan scan, LayoutKind layout)
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

            if (layout == LayoutKind.GolangMigrate && !ulong.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
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
