using System.Globalization;
using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>Reads a migration folder: its layout (detected or forced), its migrations in apply order, and
/// its problems. Never throws for bad input: a missing folder or unreadable file is a problem.</summary>
public static class MigrationFolder
{
    /// <summary>
    /// Loads <paramref name="folder"/>. With <paramref name="forced"/> null the layout is detected; how is
    /// described on <see cref="Detect"/>.
    /// </summary>
    public static FolderLoadResult Load(string folder, LayoutKind? forced = null) => Load(folder, forced, null);

    /// <summary>Like <see cref="Load(string, LayoutKind?)"/>, for a caller that targets <paramref name="dialect"/>:
    /// a layout with files per dialect (pop) reads that dialect's files.</summary>
    public static FolderLoadResult Load(string folder, LayoutKind? forced, SqlDialect? dialect)
    {
        var scan = new FolderScan(folder ?? string.Empty) { Dialect = dialect };
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
            because = $"layout {given.Name} was given";
        }
        else if (Detect(scan) is { } detected)
        {
            (layout, because) = detected;
        }
        else
        {
            return Result(scan, LayoutKind.Stepwise, "nothing recognisable; assumed stepwise", []);
        }

        return Result(scan, layout, because, layout.Definition.Load(scan));
    }

    /// <summary>
    /// Decides the layout from what the folder holds: every registered layout looks
    /// (<see cref="IMigrationLayout.Detect"/>); the strongest evidence wins (a file only one tool writes, such as
    /// <c>migration_lock.toml</c> or <c>meta/_journal.json</c>, over file names and markers), then the most files,
    /// then the order of <see cref="LayoutRegistry"/>. When none matches, layouts that can look deeper (Flyway:
    /// subfolders) do. Null, with a problem recorded, when nothing is recognisable.
    /// </summary>
    private static (LayoutKind Layout, string Because)? Detect(FolderScan scan)
    {
        var best = Best(scan, l => l.Definition.Detect(scan)) ?? Best(scan, l => l.Definition.DetectDeep(scan));
        if (best is null)
        {
            ReportNothingFound(scan, scan.FileNames());
        }

        return best;
    }

    private static (LayoutKind, string)? Best(FolderScan scan, Func<LayoutKind, LayoutDetection?> look)
    {
        (LayoutKind Layout, LayoutDetection Found)? best = null;
        foreach (var layout in LayoutKind.All)
        {
            if (look(layout) is { } found
                && (best is not { } b || found.Tier > b.Found.Tier || (found.Tier == b.Found.Tier && found.Score > b.Found.Score)))
            {
                best = (layout, found);
            }
        }

        return best is { } winner ? (winner.Layout, winner.Found.Because) : null;
    }

    /// <summary>Whether any layout recognises the folder (no problem is recorded either way).</summary>
    internal static bool IsRecognised(string folder)
    {
        var scan = new FolderScan(folder);
        return LayoutKind.All.Any(l => l.Definition.Detect(scan) is not null || l.Definition.DetectDeep(scan) is not null);
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
            $"no migration layout recognised: {what} named like " + string.Join(", ", LayoutKind.All.Select(l => l.Looks).Distinct()));
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
