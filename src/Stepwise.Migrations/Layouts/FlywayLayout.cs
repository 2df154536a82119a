namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Flyway: <c>V{version}__{description}.sql</c> (versioned), <c>U{version}__…</c> (undo, the Down of that
/// version), <c>B{version}__…</c> (baseline), <c>R__{description}.sql</c> (repeatable), in the folder and
/// its subfolders, as Flyway scans locations recursively. '_' in a version means '.'; versions compare
/// segment by segment as numbers. A <c>{script}.conf</c> beside a script with
/// <c>executeInTransaction=false</c> runs it outside a transaction, as Flyway's script configuration does.
/// </summary>
internal sealed class FlywayLayout : IMigrationLayout
{
    private sealed record Script(string RelativePath, string Version, string Description, MigrationKind Kind);

    public string Name => "flyway";

    public string Looks => "V<version>__<description>.sql (Flyway)";

    public ForeignTool? History { get; } = new("flyway", new Engines.ForeignHistory("flyway", "flyway_schema_history", "version", [new("success", Engines.HistoryTest.IsTrue), new("version", Engines.HistoryTest.IsNotNull)]), ForeignMatch.Versions);

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = scan.FileNames().Count(IsFlywayName);
        return count == 0 ? null : Detected(count);
    }

    // Flyway also scans subfolders; walk them only when the top level says nothing to any layout, so pointing
    // at a large unrelated tree stays cheap in the common case.
    public LayoutDetection? DetectDeep(FolderScan scan)
    {
        var count = scan.AllFiles().Count(relative => IsFlywayName(relative[(relative.LastIndexOf('/') + 1)..]));
        return count == 0 ? null : Detected(count);
    }

    public VersionKey ParseVersion(string version) => VersionKey.Dotted(version, MigrationKind.Versioned);

    public List<Migration> Load(FolderScan scan) => LoadFiles(scan);

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        return new NewMigration(version, [($"V{version}__{name}.sql", $"-- {description}\n")]);
    }

    public static bool IsFlywayName(string name) =>
        FileNamePatterns.FlywayVersioned().IsMatch(name) || FileNamePatterns.FlywayRepeatable().IsMatch(name);

    private static LayoutDetection Detected(int count) =>
        new(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "Flyway-named file")} (V<version>__<description>.sql)");

    /// <summary>Flyway's (and Evolve's) file names, in this folder and its subfolders.</summary>
    public static List<Migration> LoadFiles(FolderScan scan)
    {
        var versioned = new SortedDictionary<VersionKey, Script>();
        var undos = new Dictionary<VersionKey, Script>();
        var repeatables = new SortedDictionary<string, Script>(StringComparer.Ordinal);

        foreach (var relative in scan.AllFiles())
        {
            var name = relative[(relative.LastIndexOf('/') + 1)..];
            var m = FileNamePatterns.FlywayVersioned().Match(name);
            if (m.Success)
            {
                var prefix = m.Groups[1].Value;
                var kind = prefix == "B" ? MigrationKind.Baseline : MigrationKind.Versioned;
                var version = m.Groups[2].Value.Replace('_', '.');
                var script = new Script(relative, version, m.Groups[3].Value.Replace('_', ' '), kind);
                var key = VersionKey.Dotted(version, kind);
                var target = prefix == "U" ? undos : (IDictionary<VersionKey, Script>)versioned;
                if (target.TryGetValue(key, out var existing))
                {
                    scan.Error(relative, $"duplicate version {version}: {scan.DisplayPath(existing.RelativePath)} has the same version");
                }
                else
                {
                    target.Add(key, script);
                }

                continue;
            }

            var r = FileNamePatterns.FlywayRepeatable().Match(name);
            if (r.Success)
            {
                var description = r.Groups[1].Value.Replace('_', ' ');
                if (repeatables.TryGetValue(description, out var existing))
                {
                    scan.Error(relative, $"duplicate repeatable migration '{description}': {scan.DisplayPath(existing.RelativePath)} has the same description");
                }
                else
                {
                    repeatables.Add(description, new Script(relative, string.Empty, description, MigrationKind.Repeatable));
                }

                continue;
            }

            ReportUnmatched(scan, relative, name);
        }

        var migrations = new List<Migration>();
        foreach (var (key, script) in versioned)
        {
            var file = scan.ReadScript(script.RelativePath);
            MigrationScript? down = null;
            if (script.Kind == MigrationKind.Versioned && undos.Remove(key, out var undo))
            {
                var undoFile = scan.ReadScript(undo.RelativePath);
                down = undoFile is null ? null : Scripts.From(undoFile, ConfiguredNoTransaction(scan, undo.RelativePath));
            }

            if (file is null)
            {
                continue;
            }

            migrations.Add(new Migration
            {
                Version = script.Version,
                Name = script.Description,
                Kind = script.Kind,
                OrderKey = key,
                Up = Scripts.From(file, ConfiguredNoTransaction(scan, script.RelativePath)),
                Down = down,
            });
        }

        foreach (var undo in undos.Values.OrderBy(u => u.RelativePath, StringComparer.Ordinal))
        {
            scan.Error(undo.RelativePath, $"is an undo migration without a versioned migration V{undo.Version}__*.sql");
        }

        foreach (var (description, script) in repeatables)
        {
            var file = scan.ReadScript(script.RelativePath);
            if (file is null)
            {
                continue;
            }

            migrations.Add(new Migration
            {
                Version = string.Empty,
                Name = description,
                Kind = MigrationKind.Repeatable,
                OrderKey = VersionKey.Repeatable(description),
                Up = Scripts.From(file, ConfiguredNoTransaction(scan, script.RelativePath)),
            });
        }

        return migrations;
    }

    private static string? ConfiguredNoTransaction(FolderScan scan, string relative)
    {
        var conf = relative + ".conf";
        if (!scan.FileExists(conf))
        {
            return null;
        }

        var text = scan.PeekText(conf);
        return text is not null && FileNamePatterns.FlywayNoTransaction().IsMatch(text)
            ? $"executeInTransaction=false in {conf[(conf.LastIndexOf('/') + 1)..]}"
            : null;
    }

    private static void ReportUnmatched(FolderScan scan, string relative, string name)
    {
        if (!FileNamePatterns.IsSqlFile(name))
        {
            return;
        }

        if (FileNamePatterns.FlywayCallback().IsMatch(name))
        {
            scan.Warning(relative, "is a Flyway callback script; Stepwise does not run callbacks");
            return;
        }

        if (!FileNamePatterns.FlywayLike().IsMatch(name))
        {
            scan.Warning(relative, "is not named like a Flyway migration (V<version>__<description>.sql); it is ignored");
            return;
        }

        var hint =
            char.IsLower(name[0]) ? "the prefix must be an upper-case V, U, B or R"
            : !name.EndsWith(".sql", StringComparison.Ordinal) ? "the extension must be lower-case '.sql'"
            : name[0] == 'R' ? "repeatable migrations are named R__<description>.sql"
            : !name.Contains("__", StringComparison.Ordinal) ? "separate the version from the description with two underscores: V1__add.sql"
            : "the version is numbers separated by '.' or '_'";
        scan.Error(relative, $"looks like a Flyway migration but does not match V<version>__<description>.sql ({hint}), so it is never applied");
    }
}
