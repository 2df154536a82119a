using System.Globalization;

namespace Stepwise.Migrations.Layouts;

/// <summary>Reads a migration folder: its layout (detected or forced), its migrations in apply order, and
/// its problems. Never throws for bad input: a missing folder or unreadable file is a problem.</summary>
public static class MigrationFolder
{
    /// <summary>
    /// Loads <paramref name="folder"/>. With <paramref name="forced"/> null the layout is detected; how is
    /// described on <see cref="Detect"/>.
    /// </summary>
    public static FolderLoadResult Load(string folder, LayoutKind? forced = null)
    {
        var scan = new FolderScan(folder ?? string.Empty);
        var fallback = forced ?? LayoutKind.Stepwise;
        if (File.Exists(scan.Folder))
        {
            scan.Error(string.Empty, "is a file, not a migration folder");
            return Result(scan, fallback, "no folder to read", []);
        }

        if (scan.Folder.Length == 0 || !Directory.Exists(scan.Folder))
        {
            scan.Error(string.Empty, "migration folder not found");
            return Result(scan, fallback, "no folder to read", []);
        }

        LayoutKind layout;
        string because;
        if (forced is { } given)
        {
            layout = given;
            because = $"layout {given.Name()} was given";
        }
        else if (Detect(scan) is { } detected)
        {
            (layout, because) = detected;
        }
        else
        {
            return Result(scan, LayoutKind.Stepwise, "nothing recognisable; assumed stepwise", []);
        }

        var migrations = layout switch
        {
            LayoutKind.Flyway => FlywayLayout.Load(scan),
            LayoutKind.Prisma => PrismaLayout.Load(scan),
            LayoutKind.Drizzle => DrizzleLayout.Load(scan),
            LayoutKind.Dbmate => DbmateLayout.Load(scan),
            _ => UpDownLayout.Load(scan, layout),
        };
        return Result(scan, layout, because, migrations);
    }

    /// <summary>
    /// Decides the layout from what the folder holds, first match wins:
    /// 1. <c>migration_lock.toml</c> → Prisma. 2. <c>meta/_journal.json</c> → Drizzle.
    /// 3. Otherwise the most files of one kind, ties in this order: <c>{version}_{name}.up|down.{ext}</c>
    /// (Stepwise, or golang-migrate when an extension other than .sql is present, which only
    /// golang-migrate uses; the two share file names, so pass the layout to read a .sql-only golang-migrate
    /// folder as golang-migrate), Flyway names (<c>V1__x.sql</c>, <c>R__x.sql</c>; subfolders are searched
    /// only when the top level has nothing recognisable),
    /// dbmate files (<c>{digits}*.sql</c> with a <c>-- migrate:up</c> line), Prisma-style
    /// <c>{dir}/migration.sql</c> without the lock file.
    /// Null, with a problem recorded, when nothing is recognisable.
    /// </summary>
    private static (LayoutKind Layout, string Because)? Detect(FolderScan scan)
    {
        if (scan.FileExists(PrismaLayout.LockFile))
        {
            return (LayoutKind.Prisma, $"found {PrismaLayout.LockFile}");
        }

        if (scan.FileExists(DrizzleLayout.JournalPath))
        {
            return (LayoutKind.Drizzle, $"found {DrizzleLayout.JournalPath}");
        }

        var files = scan.FileNames();
        var upDown = 0;
        string? otherExtension = null;
        var dbmate = 0;
        foreach (var name in files)
        {
            var m = FileNamePatterns.UpDown().Match(name);
            if (m.Success)
            {
                upDown++;
                if (!m.Groups[4].Value.Equals("sql", StringComparison.OrdinalIgnoreCase))
                {
                    otherExtension ??= name;
                }
            }
            else if (FileNamePatterns.Dbmate().IsMatch(name) && HasDbmateMarker(scan.PeekText(name)))
            {
                dbmate++;
            }
        }

        var flyway = files.Count(IsFlywayName);
        var prisma = scan.DirectoryNames().Count(dir => scan.FileExists(FolderScan.Join(dir, "migration.sql")));
        if (upDown + flyway + dbmate + prisma == 0)
        {
            // Flyway also scans subfolders; walk them only when the top level says nothing, so pointing
            // at a large unrelated tree stays cheap in the common case.
            flyway = scan.AllFiles().Count(relative => IsFlywayName(relative[(relative.LastIndexOf('/') + 1)..]));
        }

        var best = Math.Max(Math.Max(upDown, flyway), Math.Max(dbmate, prisma));
        if (best == 0)
        {
            ReportNothingFound(scan, files);
            return null;
        }

        if (upDown == best)
        {
            return otherExtension is not null
                ? (LayoutKind.GolangMigrate, $"found {Count(upDown, "{version}_{name}.up/.down file")}, and {otherExtension} has an extension only golang-migrate uses")
                : (LayoutKind.Stepwise, $"found {Count(upDown, "{version}_{name}.up.sql/.down.sql file")} (golang-migrate uses the same names: give the layout golang-migrate to read it as one)");
        }

        if (flyway == best)
        {
            return (LayoutKind.Flyway, $"found {Count(flyway, "Flyway-named file")} (V<version>__<description>.sql)");
        }

        if (dbmate == best)
        {
            return (LayoutKind.Dbmate, $"found {Count(dbmate, "file")} with a '-- migrate:up' line");
        }

        return (LayoutKind.Prisma, $"found {Count(prisma, "directory", "directories")} with a migration.sql, without {PrismaLayout.LockFile}");
    }

    private static bool IsFlywayName(string name) =>
        FileNamePatterns.FlywayVersioned().IsMatch(name) || FileNamePatterns.FlywayRepeatable().IsMatch(name);

    private static bool HasDbmateMarker(string? text)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("--", StringComparison.Ordinal)
                && line.AsSpan(2).TrimStart().StartsWith("migrate:up", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static void ReportNothingFound(FolderScan scan, IReadOnlyList<string> files)
    {
        if (files.Count == 0 && scan.DirectoryNames().Count == 0)
        {
            scan.Warning(string.Empty, "the folder is empty: no migrations");
            return;
        }

        var sql = files.Count(FileNamePatterns.IsSqlFile);
        var what = sql > 0 ? $"{Count(sql, ".sql file")}, but none" : "no file";
        scan.Error(string.Empty,
            $"no migration layout recognised: {what} named like {{version}}_{{name}}.up.sql (stepwise, golang-migrate), " +
            "V<version>__<description>.sql (Flyway) or with a '-- migrate:up' line (dbmate), " +
            $"and no {PrismaLayout.LockFile} (Prisma) or {DrizzleLayout.JournalPath} (Drizzle)");
    }

    private static string Count(int n, string what, string? plural = null) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? what : plural ?? what + "s");

    private static FolderLoadResult Result(FolderScan scan, LayoutKind layout, string because, List<Migration> migrations)
    {
        return new FolderLoadResult
        {
            Folder = scan.Folder,
            Layout = layout,
            DetectedBecause = because,
            Migrations = migrations.OrderBy(m => m.OrderKey).ToList(),
            Problems = scan.Problems,
            DialectHint = scan.DialectHint,
        };
    }
}
