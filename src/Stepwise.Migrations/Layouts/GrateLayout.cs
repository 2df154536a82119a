using System.Globalization;
using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// grate (erikbra/grate), the successor of RoundhousE: scripts in known subfolders, each folder run in grate's
/// order. <c>up/</c> holds one-time scripts (run once, in name order; grate refuses a changed one);
/// <c>runAfterCreateDatabase/</c> runs when grate has just created the database, which Stepwise reads as one-time
/// scripts before <c>up/</c>; the "anytime" folders (<c>runBeforeUp</c>, <c>runFirstAfterUp</c>, <c>functions</c>,
/// <c>views</c>, <c>sprocs</c>, <c>triggers</c>, <c>indexes</c>, <c>runAfterOtherAnyTimeScripts</c>) re-run whenever
/// a script changes, as Flyway's <c>R__</c> do. Folders are searched recursively. History: <c>grate.ScriptsRun</c>
/// (RoundhousE: <c>RoundhousE.ScriptsRun</c>), a row per script run, named by <c>script_name</c>.
/// </summary>
internal sealed class GrateLayout : IMigrationLayout
{
    public string Name => "grate";

    public string Looks => "up/*.sql, views/, sprocs/, functions/ … (grate, RoundhousE)";

    public ForeignTool? History { get; } = GrateFolders.ScriptsRun("grate", "grate", schemaless: "grate_ScriptsRun");

    public LayoutDetection? Detect(FolderScan scan) => GrateFolders.Detect(scan);

    public VersionKey ParseVersion(string version) => VersionKey.Named(version);

    public List<Migration> Load(FolderScan scan) => GrateFolders.Load(scan, "grate");

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description) => GrateFolders.New(folder, time, name, description);
}

/// <summary>RoundhousE: grate's folders and <c>ScriptsRun</c> table, in the <c>RoundhousE</c> schema; never detected
/// (the folders are grate's too): give <c>--layout roundhouse</c>.</summary>
internal sealed class RoundhouseLayout : IMigrationLayout
{
    public string Name => "roundhouse";

    public IReadOnlyList<string> Aliases => ["rh", "roundhouse-e"];

    public string Looks => "up/*.sql, views/, sprocs/ … with --layout roundhouse (RoundhousE)";

    public ForeignTool? History { get; } = GrateFolders.ScriptsRun("roundhouse", "RoundhousE");

    public LayoutDetection? Detect(FolderScan scan) => null;

    public VersionKey ParseVersion(string version) => VersionKey.Named(version);

    public List<Migration> Load(FolderScan scan) => GrateFolders.Load(scan, "RoundhousE");

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description) => GrateFolders.New(folder, time, name, description);
}

/// <summary>The folders grate and RoundhousE read, in the order they run them.</summary>
internal static class GrateFolders
{
    private enum Kind
    {
        OneTime,
        AnyTime,
        Ignored,
    }

    // grate's KnownFolderNames, in the order GrateMigrator processes them
    private static readonly (string Name, Kind Kind, string? Why)[] s_folders =
    [
        ("createDatabase", Kind.Ignored, "creates the database with an admin connection; Stepwise never creates databases"),
        ("dropDatabase", Kind.Ignored, "drops the database; Stepwise never drops databases"),
        ("beforeMigration", Kind.Ignored, "runs every time, outside the migration; Stepwise does not run every-time scripts"),
        ("alterDatabase", Kind.Ignored, "runs with an admin connection; Stepwise does not run it"),
        ("runAfterCreateDatabase", Kind.OneTime, null),
        ("runBeforeUp", Kind.AnyTime, null),
        ("up", Kind.OneTime, null),
        ("runFirstAfterUp", Kind.AnyTime, null),
        ("functions", Kind.AnyTime, null),
        ("views", Kind.AnyTime, null),
        ("sprocs", Kind.AnyTime, null),
        ("triggers", Kind.AnyTime, null),
        ("indexes", Kind.AnyTime, null),
        ("runAfterOtherAnyTimeScripts", Kind.AnyTime, null),
        ("permissions", Kind.Ignored, "runs every time; Stepwise does not run every-time scripts"),
        ("afterMigration", Kind.Ignored, "runs every time, outside the migration; Stepwise does not run every-time scripts"),
    ];

    /// <summary>The ScriptsRun table in <paramref name="schema"/> on PostgreSQL; on MySQL/MariaDB and SQLite, which
    /// have no schemas, <paramref name="schemaless"/> (grate's MariaDbSyntax and SqliteSyntax name it
    /// <c>{schema}_ScriptsRun</c>), else the table alone.</summary>
    public static ForeignTool ScriptsRun(string tool, string schema, string? schemaless = null) =>
        new(tool, new ForeignHistory(tool, "ScriptsRun", "script_name", []) { PostgresSchema = schema, SchemalessTable = schemaless }, ForeignMatch.Versions);

    /// <summary>An <c>up</c> folder with .sql files: the one folder every grate project has.</summary>
    public static LayoutDetection? Detect(FolderScan scan)
    {
        var up = scan.DirectoryNames().FirstOrDefault(d => d.Equals("up", StringComparison.OrdinalIgnoreCase));
        if (up is null || !SqlFiles(scan, up).Any())
        {
            return null;
        }

        var known = scan.DirectoryNames().Where(d => s_folders.Any(f => f.Name.Equals(d, StringComparison.OrdinalIgnoreCase))).ToList();
        var count = known.Sum(d => SqlFiles(scan, d).Count());
        return new LayoutDetection(LayoutDetection.Names, count,
            $"found {up}/ with .sql files, and {UpDownLayout.Files(known.Count, "grate folder")} ({string.Join(", ", known.Select(k => k + "/"))})");
    }

    public static List<Migration> Load(FolderScan scan, string tool)
    {
        foreach (var name in scan.FileNames().Where(FileNamePatterns.IsSqlFile))
        {
            scan.Warning(name, $"is not in one of {tool}'s folders (up/, views/, …); it is ignored");
        }

        var migrations = new List<Migration>();
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in scan.DirectoryNames())
        {
            var index = Array.FindIndex(s_folders, f => f.Name.Equals(dir, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                if (SqlFiles(scan, dir).Any())
                {
                    scan.Warning(dir, $"is not one of {tool}'s folders; its scripts are ignored");
                }

                continue;
            }

            var (_, kind, why) = s_folders[index];
            var files = SqlFiles(scan, dir).ToList();
            if (kind == Kind.Ignored)
            {
                if (files.Count > 0)
                {
                    scan.Warning(dir, $"{why}; its {UpDownLayout.Files(files.Count, "script")} are not run");
                }

                continue;
            }

            if (dir.Equals("runBeforeUp", StringComparison.OrdinalIgnoreCase) && files.Count > 0)
            {
                scan.Warning(dir, $"{tool} runs these anytime scripts before up/; Stepwise runs anytime scripts after the one-time ones");
            }

            foreach (var relative in files)
            {
                var scriptName = relative[(dir.Length + 1)..]; // what ScriptsRun.script_name records: the path inside the folder
                if (scan.ReadScript(relative) is not { } file)
                {
                    continue;
                }

                if (kind == Kind.OneTime)
                {
                    if (versions.TryGetValue(scriptName, out var other))
                    {
                        scan.Error(relative, $"has the same script name as {scan.DisplayPath(other)}; {tool} records one-time scripts by name, so one of them would never run");
                        continue;
                    }

                    versions.Add(scriptName, relative);
                    migrations.Add(new Migration
                    {
                        Version = scriptName,
                        Name = Stem(scriptName),
                        OrderKey = VersionKey.Named(index.ToString("00", CultureInfo.InvariantCulture) + "/" + scriptName),
                        Up = Scripts.From(file),
                    });
                }
                else
                {
                    migrations.Add(new Migration
                    {
                        Version = string.Empty,
                        Name = dir + "/" + scriptName,
                        Kind = MigrationKind.Repeatable,
                        OrderKey = VersionKey.Repeatable(index.ToString("00", CultureInfo.InvariantCulture) + "/" + scriptName),
                        Up = Scripts.From(file),
                    });
                }
            }
        }

        return migrations;
    }

    /// <summary>A one-time script in <c>up/</c>, named so that name order is the order it was added.</summary>
    public static NewMigration New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        var up = Directory.Exists(folder.Folder) ? Directory.EnumerateDirectories(folder.Folder).Select(Path.GetFileName).FirstOrDefault(d => string.Equals(d, "up", StringComparison.OrdinalIgnoreCase)) ?? "up" : "up";
        return new NewMigration($"{version}_{name}.sql", [($"{up}/{version}_{name}.sql", $"-- {description}\n")]);
    }

    private static string Stem(string scriptName)
    {
        var file = scriptName[(scriptName.LastIndexOf('/') + 1)..^4];
        var (version, title) = FileNamePatterns.SplitNumbered(file);
        return version == title ? file : title;
    }

    // every .sql file under the folder, as grate searches it (recursively), in path order
    private static IEnumerable<string> SqlFiles(FolderScan scan, string dir)
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(dir);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            found.AddRange(scan.FileNames(current).Where(n => n.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)).Select(n => FolderScan.Join(current, n)));
            foreach (var sub in scan.DirectoryNames(current))
            {
                pending.Push(FolderScan.Join(current, sub));
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }
}
