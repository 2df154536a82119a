using System.Globalization;
using System.Text.RegularExpressions;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// sqlx (launchbadge/sqlx): <c>{version}_{description}.sql</c> (simple) or <c>{version}_{description}.up.sql</c>
/// and <c>.down.sql</c> (reversible), the version an int64; a first line <c>-- no-transaction</c> runs the file
/// outside a transaction. A folder of reversible files has Stepwise's own file names and is detected as such;
/// give the layout sqlx to read it as sqlx (only the history differs). History: <c>_sqlx_migrations</c>, a row
/// per version with <c>success</c>.
/// </summary>
internal sealed partial class SqlxLayout : IMigrationLayout
{
    private const string NoTransactionMarker = "-- no-transaction";

    public string Name => "sqlx";

    public string Looks => "{version}_{description}.sql (sqlx)";

    public ForeignTool? History { get; } = ForeignTool.Of("sqlx", "_sqlx_migrations", "version", new Engines.HistoryCondition("success", Engines.HistoryTest.IsTrue));

    [GeneratedRegex(@"^([0-9]+)_(.+?)(?:\.(up|down))?\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    /// <summary>A guess: plain numbered .sql files say little (goose, dbmate and Atlas files look the same
    /// and win with their markers); names ending <c>_up.sql</c>/<c>_down.sql</c> are another convention.</summary>
    public LayoutDetection? Detect(FolderScan scan)
    {
        var files = scan.FileNames();
        var count = files.Count(n => FileName().Match(n) is { Success: true } m && !m.Groups[3].Success);
        var otherConvention = files.Any(n => n.EndsWith("_up.sql", StringComparison.OrdinalIgnoreCase) || n.EndsWith("_down.sql", StringComparison.OrdinalIgnoreCase));
        return count == 0 || otherConvention ? null : new LayoutDetection(LayoutDetection.Guess, count, $"found {UpDownLayout.Files(count, "{version}_{description}.sql file")} without another tool's markers (sqlx)");
    }

    public List<Migration> Load(FolderScan scan)
    {
        var ups = new SortedDictionary<VersionKey, string>();
        var downs = new Dictionary<VersionKey, string>();
        foreach (var name in scan.FileNames())
        {
            var m = FileName().Match(name);
            if (!m.Success)
            {
                if (FileNamePatterns.IsSqlFile(name))
                {
                    scan.Warning(name, "is not named like a sqlx migration ({version}_{description}.sql); it is ignored");
                }

                continue;
            }

            var version = m.Groups[1].Value;
            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                scan.Error(name, $"version {version} does not fit sqlx's 64-bit version");
                continue;
            }

            var key = VersionKey.Numeric(version);
            if (m.Groups[3].Value == "down")
            {
                if (!downs.TryAdd(key, name))
                {
                    scan.Error(name, $"duplicate version {version}: {scan.DisplayPath(downs[key])} has the same version");
                }
            }
            else
            {
                SectionFiles.Add(scan, ups, key, version, name);
            }
        }

        var migrations = new List<Migration>();
        foreach (var (key, name) in ups)
        {
            var m = FileName().Match(name);
            var up = scan.ReadScript(name);
            var down = downs.Remove(key, out var downName) ? scan.ReadScript(downName) : null;
            if (up is null)
            {
                continue;
            }

            migrations.Add(new Migration
            {
                Version = m.Groups[1].Value,
                Name = m.Groups[2].Value,
                OrderKey = key,
                Up = Scripts.From(up, NoTransaction(up.Text)),
                Down = down is null ? null : Scripts.From(down, NoTransaction(down.Text)),
            });
        }

        foreach (var name in downs.Values)
        {
            scan.Error(name, "is a down migration without an up migration");
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        var reversible = folder.Migrations.Count > 0 ? folder.Migrations.Any(m => m.Down is not null) : false;
        return reversible
            ? new NewMigration(version, [($"{version}_{name}.up.sql", $"-- {description}\n"), ($"{version}_{name}.down.sql", $"-- undo {description}\n")])
            : new NewMigration(version, [($"{version}_{name}.sql", $"-- {description}\n")]);
    }

    // sqlx: the file's first line is exactly "-- no-transaction"
    private static string? NoTransaction(string text) =>
        text.StartsWith(NoTransactionMarker, StringComparison.Ordinal) && (text.Length == NoTransactionMarker.Length || text[NoTransactionMarker.Length] is '\n' or '\r')
            ? NoTransactionMarker
            : null;
}
