namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Shared by the layouts that keep both directions of a migration in one <c>.sql</c> file, split by comment
/// markers (goose, sql-migrate): listing, versions, duplicate checks, and the up/down split of
/// <see cref="ScriptSections"/> (the same split lint uses for such files given on their own).
/// </summary>
internal static class SectionFiles
{
    /// <summary>How many top-level .sql files hold <paramref name="marker"/> on a line of their own (case ignored).</summary>
    public static int CountWithMarker(FolderScan scan, string marker)
    {
        var count = 0;
        foreach (var name in scan.FileNames())
        {
            if (FileNamePatterns.IsSqlFile(name) && HasMarker(scan.PeekText(name), marker))
            {
                count++;
            }
        }

        return count;
    }

    private static bool HasMarker(string? text, string marker)
    {
        if (text is null || text.IndexOf(marker[3..], StringComparison.OrdinalIgnoreCase) < 0)
        {
            return false;
        }

        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("--", StringComparison.Ordinal)
                && string.Join(' ', trimmed[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).StartsWith(marker[3..], StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads one file: its sections, or an error naming the marker it lacks.</summary>
    /// <param name="scan">The folder.</param>
    /// <param name="name">The file's name.</param>
    /// <param name="tool">The tool whose markers are expected ("goose", "sql-migrate").</param>
    /// <param name="upMarker">The up marker as written, for the message.</param>
    /// <param name="version">The version.</param>
    /// <param name="key">Its order key.</param>
    /// <param name="title">The descriptive part of the name.</param>
    public static Migration? Read(FolderScan scan, string name, string tool, string upMarker, string version, VersionKey key, string title)
    {
        var file = scan.ReadScript(name);
        if (file is null)
        {
            return null;
        }

        var sections = ScriptSections.Split(file.Text);
        if (sections is null || sections.Tool != tool)
        {
            scan.Error(name, $"has no '{upMarker}' line; {tool} requires one, so it never applies this file");
            return null;
        }

        return new Migration
        {
            Version = version,
            Name = title,
            OrderKey = key,
            Up = Scripts.From(file, sections.Up, sections.UpNoTransaction, null),
            Down = sections.Down is null ? null : Scripts.From(file, sections.Down, sections.DownNoTransaction, null),
        };
    }

    /// <summary>Adds a migration to <paramref name="byKey"/>, or reports the duplicate version.</summary>
    public static void Add(FolderScan scan, SortedDictionary<VersionKey, string> byKey, VersionKey key, string version, string name)
    {
        if (byKey.TryGetValue(key, out var existing))
        {
            scan.Error(name, $"duplicate version {version}: {scan.DisplayPath(existing)} has the same version");
        }
        else
        {
            byKey.Add(key, name);
        }
    }
}
