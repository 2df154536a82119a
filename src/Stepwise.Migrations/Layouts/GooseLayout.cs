using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// goose (pressly/goose): <c>{version}_{name}.sql</c> files (the version an int64: a sequence or a timestamp),
/// each with a <c>-- +goose Up</c> and an optional <c>-- +goose Down</c> section; <c>-- +goose NO TRANSACTION</c>
/// runs the file outside a transaction; <c>-- +goose StatementBegin</c> / <c>StatementEnd</c> wrap statements
/// that contain semicolons (kept as comments: Stepwise's lexer already keeps dollar-quoted bodies whole).
/// History: <c>goose_db_version</c>, a row per applied version (<c>is_applied</c>), plus goose's own version 0 row.
/// </summary>
internal sealed class GooseLayout : IMigrationLayout
{
    public string Name => "goose";

    public string Looks => "{version}_{name}.sql with a '-- +goose Up' line (goose)";

    public ForeignTool? History { get; } = ForeignTool.Of("goose", "goose_db_version", "version_id", new HistoryCondition("is_applied", HistoryTest.IsTrue), new HistoryCondition("version_id", HistoryTest.IsPositive));

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = SectionFiles.CountWithMarker(scan, "-- +goose Up");
        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "file")} with a '-- +goose Up' line");
    }

    public List<Migration> Load(FolderScan scan)
    {
        var byKey = new SortedDictionary<VersionKey, string>();
        foreach (var name in scan.FileNames())
        {
            if (name.EndsWith(".go", StringComparison.Ordinal))
            {
                scan.Warning(name, "is a Go migration; Stepwise reads only goose's SQL migrations");
                continue;
            }

            if (!FileNamePatterns.IsSqlFile(name))
            {
                continue;
            }

            var (version, _) = FileNamePatterns.SplitNumbered(name[..^4]);
            if (!VersionKey.IsDigits(version) || !long.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                scan.Warning(name, "is not named like a goose migration ({version}_{name}.sql, the version a 64-bit number); it is ignored");
                continue;
            }

            SectionFiles.Add(scan, byKey, VersionKey.Numeric(version), version, name);
        }

        var migrations = new List<Migration>();
        foreach (var (key, name) in byKey)
        {
            var (version, title) = FileNamePatterns.SplitNumbered(name[..^4]);
            if (SectionFiles.Read(scan, name, "goose", "-- +goose Up", version, key, title) is { } migration)
            {
                migrations.Add(migration);
            }
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        return new NewMigration(version, [($"{version}_{name}.sql", $"-- +goose Up\n-- +goose StatementBegin\n-- {description}\n-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\n-- undo {description}\n-- +goose StatementEnd\n")]);
    }
}
