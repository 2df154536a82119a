using System.Text.RegularExpressions;
using Stepwise.Engines;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// DbUp: a folder of <c>.sql</c> scripts run once each in name order (DbUp's default script sorter), named by
/// convention <c>Script0001 - Create tables.sql</c>; no down scripts. DbUp's transaction mode is set in code, so
/// only <c>-- stepwise:no-transaction</c> runs a script outside one. History: <c>SchemaVersions</c> (on
/// PostgreSQL and MySQL DbUp creates it unquoted, <c>schemaversions</c>), a row per script run, named by
/// <c>ScriptName</c>: the file name for scripts read from a folder (embedded scripts carry a namespace prefix).
/// </summary>
internal sealed partial class DbUpLayout : IMigrationLayout
{
    public string Name => "dbup";

    public IReadOnlyList<string> Aliases => ["db-up"];

    public string Looks => "Script0001 - name.sql, in name order (DbUp)";

    public ForeignTool? History { get; } = new("dbup", new ForeignHistory("dbup", "schemaversions", "scriptname", []), ForeignMatch.Versions);

    [GeneratedRegex(@"^Script[0-9]+.*\.sql$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConventionalName();

    public LayoutDetection? Detect(FolderScan scan)
    {
        var count = scan.FileNames().Count(n => ConventionalName().IsMatch(n));
        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "file")} named Script<number>….sql, DbUp's convention");
    }

    /// <summary>A script is named by its file name; an embedded script's name (<c>App.Scripts.Script0001 - x.sql</c>)
    /// by the conventional file name it ends with.</summary>
    public VersionKey ParseVersion(string version) => VersionKey.Named(EmbeddedScript().Match(version) is { Success: true } m ? m.Groups[1].Value : version);

    [GeneratedRegex(@"^.*\.(Script[0-9]+.*\.sql)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex EmbeddedScript();

    public List<Migration> Load(FolderScan scan)
    {
        var migrations = new List<Migration>();
        foreach (var name in scan.FileNames())
        {
            if (!name.EndsWith(".sql", StringComparison.Ordinal))
            {
                if (FileNamePatterns.IsSqlFile(name))
                {
                    scan.Warning(name, "has an upper-case extension; DbUp's file-system provider reads only *.sql, so it is ignored");
                }

                continue;
            }

            if (scan.ReadScript(name) is { } file)
            {
                migrations.Add(new Migration
                {
                    Version = name,
                    Name = name[..^4],
                    OrderKey = ParseVersion(name),
                    Up = Scripts.From(file),
                });
            }
        }

        foreach (var dir in scan.DirectoryNames())
        {
            scan.Warning(dir, "is a subfolder; DbUp's file-system provider reads only the folder's own scripts by default, so it is ignored");
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        // the next ScriptNNNN number, so name order stays the order scripts were added
        var next = folder.Migrations.Select(m => ConventionalNumber(m.Version)).DefaultIfEmpty(0).Max() + 1;
        var fileName = $"Script{next:0000} - {name}.sql";
        return new NewMigration(fileName, [(fileName, $"-- {description}\n")]);
    }

    private static int ConventionalNumber(string fileName)
    {
        var digits = new string(fileName.StartsWith("Script", StringComparison.OrdinalIgnoreCase) ? fileName[6..].TakeWhile(char.IsAsciiDigit).ToArray() : []);
        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}
