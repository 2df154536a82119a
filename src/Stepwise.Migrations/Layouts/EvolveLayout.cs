using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Evolve (lecaillon/Evolve, .NET): Flyway's file names (<c>V1_1__desc.sql</c>, <c>R__desc.sql</c>) read the same
/// way, but a different history: <c>changelog</c>, a row per script with its <c>version</c>, <c>type</c> (0 for a
/// versioned migration; 1 and 2 are Evolve's schema rows, 3 its start version, 4 repeatables) and <c>success</c>.
/// The file names cannot tell Evolve from Flyway: a folder is Evolve's when it holds <c>evolve.json</c> (the
/// Evolve CLI's configuration) or the layout is given (<c>--layout evolve</c>); else it reads as Flyway's.
/// </summary>
internal sealed class EvolveLayout : IMigrationLayout
{
    public const string ConfigFile = "evolve.json";

    public string Name => "evolve";

    public string Looks => "V<version>__<description>.sql with evolve.json (Evolve)";

    public ForeignTool? History { get; } = new("evolve",
        new ForeignHistory("evolve", "changelog", "version",
        [
            new HistoryCondition("success", HistoryTest.IsTrue),
            new HistoryCondition("version", HistoryTest.IsNotNull),
            new HistoryCondition("type", HistoryTest.EqualsText) { Value = "0" },
        ]),
        ForeignMatch.Versions);

    /// <summary>evolve.json beside Flyway-named files: the same names as Flyway, so only that file tells them apart.</summary>
    public LayoutDetection? Detect(FolderScan scan)
    {
        var config = scan.FileNames().FirstOrDefault(n => n.Equals(ConfigFile, StringComparison.OrdinalIgnoreCase))
            ?? (scan.FileExists("../" + ConfigFile) ? "../" + ConfigFile : null);
        var count = scan.FileNames().Count(FlywayLayout.IsFlywayName);
        return config is null || count == 0 ? null
            : new LayoutDetection(LayoutDetection.Marker, count, $"found {config} beside {UpDownLayout.Files(count, "Flyway-named file")} (Evolve uses Flyway's file names; its configuration file tells them apart)");
    }

    public VersionKey ParseVersion(string version) => VersionKey.Dotted(version, MigrationKind.Versioned);

    public List<Migration> Load(FolderScan scan) => FlywayLayout.LoadFiles(scan);

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        return new NewMigration(version, [($"V{version}__{name}.sql", $"-- {description}\n")]);
    }
}
