using Stepwise.Sql;

namespace Stepwise.Migrations.Layouts;

/// <summary>
/// Prisma Migrate: one directory per migration holding <c>migration.sql</c>, applied in directory-name
/// order; <c>migration_lock.toml</c> at the root names the provider. A <c>down.sql</c> beside
/// <c>migration.sql</c> (the convention Prisma's docs give for down migrations) is read as the Down.
/// </summary>
internal static class PrismaLayout
{
    public const string LockFile = "migration_lock.toml";

    public static List<Migration> Load(FolderScan scan)
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
