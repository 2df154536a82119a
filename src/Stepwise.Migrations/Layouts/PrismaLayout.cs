using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Prisma Migrate: one directory per migration holding <c>migration.sql</c>, applied in directory-name
/// order; <c>migration_lock.toml</c> at the root names the provider. A <c>down.sql</c> beside
/// <c>migration.sql</c> (the convention Prisma's docs give for down migrations) is read as the Down.
/// </summary>
internal sealed class PrismaLayout : IMigrationLayout
{
    public const string LockFile = "migration_lock.toml";

    public string Name => "prisma";

    public string Looks => $"{{dir}}/migration.sql with {LockFile} (Prisma)";

    public ForeignTool? History { get; } = ForeignTool.Of("prisma", "_prisma_migrations", "migration_name", new("finished_at", Engines.HistoryTest.IsNotNull), new("rolled_back_at", Engines.HistoryTest.IsNull));

    public LayoutDetection? Detect(FolderScan scan)
    {
        if (scan.FileExists(LockFile))
        {
            return new LayoutDetection(LayoutDetection.Marker, 0, $"found {LockFile}");
        }

        var count = scan.DirectoryNames().Count(dir => scan.FileExists(FolderScan.Join(dir, "migration.sql")));
        return count == 0 ? null : new LayoutDetection(LayoutDetection.Names, count, $"found {UpDownLayout.Files(count, "directory", "directories")} with a migration.sql, without {LockFile}");
    }

    public VersionKey ParseVersion(string version) => VersionKey.Named(version);

    public NewMigration? New(FolderLoadResult folder, DateTime time, string name, string description)
    {
        var version = UpDownLayout.Timestamp(time) + "_" + name;
        return new NewMigration(version, [($"{version}/migration.sql", $"-- {description}\n")]);
    }

    public List<Migration> Load(FolderScan scan)
    {
        ReadProvider(scan);

        foreach (var name in scan.FileNames())
        {
            if (FileNamePatterns.IsSqlFile(name))
            {
                scan.Warning(name, "Prisma reads only <directory>/migration.sql; this file is ignored");
            }
        }

        var migrations = new List<Migration>();
        foreach (var dir in scan.DirectoryNames())
        {
            var up = FolderScan.Join(dir, "migration.sql");
            if (!scan.FileExists(up))
            {
                scan.Error(dir, "has no migration.sql, so it is not a Prisma migration");
                continue;
            }

            var file = scan.ReadScript(up);
            var downPath = FolderScan.Join(dir, "down.sql");
            var down = scan.FileExists(downPath) ? scan.ReadScript(downPath) : null;
            if (file is null)
            {
                continue;
            }

            var (_, name) = FileNamePatterns.SplitNumbered(dir);
            migrations.Add(new Migration
            {
                Version = dir,
                Name = name,
                OrderKey = VersionKey.Named(dir),
                Up = Scripts.From(file),
                Down = down is null ? null : Scripts.From(down),
            });
        }

        return migrations;
    }

    private static void ReadProvider(FolderScan scan)
    {
        if (!scan.FileExists(LockFile))
        {
            scan.Warning(LockFile, "not found (Prisma writes it with the database provider); the dialect is not known from the folder");
            return;
        }

        var lockFile = scan.ReadScript(LockFile);
        if (lockFile is null)
        {
            return;
        }

        var m = FileNamePatterns.PrismaProvider().Match(lockFile.Text);
        if (!m.Success)
        {
            scan.Warning(LockFile, "has no provider = \"...\" line; the dialect is not known from the folder");
            return;
        }

        var provider = m.Groups[1].Value;
        SqlDialect? dialect = provider switch
        {
            "postgresql" or "postgres" => SqlDialect.PostgreSql,
            "mysql" => SqlDialect.MySql,
            "sqlite" => SqlDialect.Sqlite,
            _ => null,
        };
        if (dialect is null)
        {
            scan.Warning(LockFile, $"provider \"{provider}\" is not a database Stepwise reads (postgresql, mysql, sqlite)");
        }

        scan.DialectHint = dialect;
    }
}
