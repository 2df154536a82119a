using System.Text.RegularExpressions;
using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// pop (gobuffalo/pop, and ory's popx): <c>{version}_{name}[.{dialect}].up.sql</c> and <c>.down.sql</c> (pop's own
/// pattern, <c>^(\d+)_([^.]+)(\.[a-z0-9]+)?\.(up|down)\.(sql|fizz)$</c>). A file with a dialect runs only on that
/// database (<c>postgres</c>, <c>mysql</c>, <c>sqlite3</c>, <c>cockroach</c>), one without runs on all: Stepwise
/// reads the files of the dialect it targets plus the dialect-less ones. <c>.fizz</c> files are pop's own DSL,
/// not SQL. pop runs each migration in a transaction. History: <c>schema_migration</c>, a row per applied version.
/// </summary>
internal sealed partial class PopLayout : IMigrationLayout
{
    private static readonly string[] s_popDialects = ["postgres", "postgresql", "pg", "cockroach", "cockroachdb", "crdb", "mysql", "mariadb", "sqlite3", "sqlite"];

    public string Name => "pop";

    public IReadOnlyList<string> Aliases => ["gobuffalo-pop", "soda", "popx"];

    public string Looks => "{version}_{name}.{dialect}.up.sql (pop)";

    public ForeignTool? History { get; } = ForeignTool.Of("pop", "schema_migration", "version");

    [GeneratedRegex(@"^([0-9]+)_([^.]+)(\.[a-z0-9]+)?\.(up|down)\.(sql|fizz)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    /// <summary>A file with a pop dialect in its name, or a .fizz file: names only pop writes.</summary>
    public LayoutDetection? Detect(FolderScan scan)
    {
        var named = 0;
        var own = 0;
        foreach (var name in scan.FileNames())
        {
            if (FileName().Match(name) is { Success: true } m)
            {
                named++;
                if (m.Groups[5].Value == "fizz" || (m.Groups[3].Success && s_popDialects.Contains(m.Groups[3].Value[1..])))
                {
                    own++;
                }
            }
        }

        return own == 0 ? null : new LayoutDetection(LayoutDetection.Marker, named, $"found {UpDownLayout.Files(own, "file")} named {{version}}_{{name}}.{{dialect}}.up.sql or .fizz, as only pop writes them");
    }

    public List<Migration> Load(FolderScan scan)
    {
        var names = scan.FileNames();
        var dialect = scan.Dialect;
        var hasDialectFiles = names.Any(n => FileName().Match(n) is { Success: true } m && m.Groups[3].Success);
        if (dialect is null && hasDialectFiles)
        {
            dialect = SqlDialect.PostgreSql;
            scan.Note(string.Empty, "pop: no dialect given; read the postgres files and the files for all dialects (give --dialect or a database URL to choose)");
        }

        var ups = new SortedDictionary<VersionKey, string>();
        var downs = new Dictionary<VersionKey, string>();
        foreach (var name in names)
        {
            var m = FileName().Match(name);
            if (!m.Success)
            {
                if (FileNamePatterns.IsSqlFile(name))
                {
                    scan.Warning(name, "is not named like a pop migration ({version}_{name}[.{dialect}].up.sql); it is ignored");
                }

                continue;
            }

            if (m.Groups[5].Value == "fizz")
            {
                scan.Warning(name, "is a fizz migration (pop's own language, not SQL); Stepwise reads only pop's SQL migrations");
                continue;
            }

            if (m.Groups[3].Success)
            {
                var fileDialect = m.Groups[3].Value[1..];
                if (!s_popDialects.Contains(fileDialect))
                {
                    scan.Error(name, $"names the dialect '{fileDialect}', which pop does not know; pop refuses the folder");
                    continue;
                }

                if (!Matches(fileDialect, dialect))
                {
                    continue; // another database's file
                }
            }

            var key = VersionKey.Numeric(m.Groups[1].Value);
            if (m.Groups[4].Value == "down")
            {
                if (!downs.TryAdd(key, name))
                {
                    scan.Error(name, $"duplicate version {m.Groups[1].Value}: {scan.DisplayPath(downs[key])} is also its down migration for this dialect");
                }
            }
            else
            {
                SectionFiles.Add(scan, ups, key, m.Groups[1].Value, name);
            }
        }

        var migrations = new List<Migration>();
        foreach (var (key, name) in ups)
        {
            var m = FileName().Match(name);
            var up = scan.ReadScript(name);
            var down = downs.Remove(key, out var downName) ? scan.ReadScript(downName) : null;
            if (up is not null)
            {
                migrations.Add(new Migration
                {
                    Version = m.Groups[1].Value,
                    Name = m.Groups[2].Value,
                    OrderKey = key,
                    Up = Scripts.From(up),
                    Down = down is null ? null : Scripts.From(down),
                });
            }
        }

        foreach (var name in downs.Values)
        {
            scan.Error(name, "is a down migration without an up migration for this dialect");
        }

        return migrations;
    }

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time);
        return new NewMigration(version, [($"{version}_{name}.up.sql", $"-- {description}\n"), ($"{version}_{name}.down.sql", $"-- undo {description}\n")]);
    }

    // pop's synonyms (postgresql and pg are postgres, sqlite is sqlite3); cockroach files run on CockroachDB only
    private static bool Matches(string fileDialect, SqlDialect? dialect) => dialect switch
    {
        SqlDialect.PostgreSql => fileDialect is "postgres" or "postgresql" or "pg",
        SqlDialect.MySql => fileDialect is "mysql" or "mariadb",
        SqlDialect.Sqlite => fileDialect is "sqlite3" or "sqlite",
        _ => false,
    };
}
