using System.Security.Cryptography;
using System.Text;

namespace Stepwise.Runner.Tests;

/// <summary>A database some other tool migrated: its folder (four migrations creating base_a … base_d), its
/// history table created by hand with the tool's real schema, and the first two migrations marked applied
/// there (their tables created too). `baseline --from TOOL` must record exactly those two.</summary>
internal static class BaselineScenario
{
    public enum Db
    {
        Sqlite,
        MariaDb,
        Postgres,
    }

    public static readonly string[] Tools = ["golang-migrate", "flyway", "prisma", "drizzle", "dbmate", "goose", "sql-migrate", "diesel", "sqlx", "kysely"];

    private const long FirstWhen = 1_700_000_000_000;

    private static string CreateTable(char t) => $"CREATE TABLE base_{t} (id BIGINT PRIMARY KEY);\n";

    /// <summary>Writes the tool's folder; returns the journal versions expected after the baseline, and the layout.</summary>
    public static (string[] Expected, string Layout) WriteFolder(LayoutFolder folder, string tool, Db db)
    {
        var letters = new[] { 'a', 'b', 'c', 'd' };
        switch (tool)
        {
            case "golang-migrate":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"{i + 1:0000}_{letters[i]}.up.sql", CreateTable(letters[i]));
                    folder.Write($"{i + 1:0000}_{letters[i]}.down.sql", $"DROP TABLE base_{letters[i]};\n");
                }

                return (["0001", "0002"], "golang-migrate");
            case "flyway":
                folder.Write("V1__a.sql", CreateTable('a'));
                folder.Write("V1_1__b.sql", CreateTable('b'));
                folder.Write("V2__c.sql", CreateTable('c'));
                folder.Write("V3__d.sql", CreateTable('d'));
                return (["1", "1.1"], "flyway");
            case "prisma":
                folder.Write("migration_lock.toml", $"provider = \"{db switch { Db.Sqlite => "sqlite", Db.MariaDb => "mysql", _ => "postgresql" }}\"\n");
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"2024010{i + 1}000000_{letters[i]}/migration.sql", CreateTable(letters[i]));
                }

                return (["20240101000000_a", "20240102000000_b"], "prisma");
            case "drizzle":
                var entries = string.Join(",\n", Enumerable.Range(0, 4).Select(i => $"    {{ \"idx\": {i}, \"version\": \"6\", \"when\": {FirstWhen + (i * 1000)}, \"tag\": \"{i:0000}_{letters[i]}\", \"breakpoints\": true }}"));
                folder.Write("meta/_journal.json", $"{{\n  \"version\": \"7\",\n  \"dialect\": \"{db switch { Db.Sqlite => "sqlite", Db.MariaDb => "mysql", _ => "postgresql" }}\",\n  \"entries\": [\n{entries}\n  ]\n}}\n");
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"{i:0000}_{letters[i]}.sql", CreateTable(letters[i]));
                }

                return (["0000", "0001"], "drizzle");
            case "goose":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"{i + 1:00000}_{letters[i]}.sql", $"-- +goose Up\n-- +goose StatementBegin\n{CreateTable(letters[i])}-- +goose StatementEnd\n\n-- +goose Down\nDROP TABLE base_{letters[i]};\n");
                }

                return (["00001", "00002"], "goose");
            case "sql-migrate":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"{i + 1}_{letters[i]}.sql", $"-- +migrate Up\n{CreateTable(letters[i])}\n-- +migrate Down\nDROP TABLE base_{letters[i]};\n");
                }

                return (["1", "2"], "sql-migrate");
            case "diesel":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"2024-01-0{i + 1}-000000_{letters[i]}/up.sql", CreateTable(letters[i]));
                    folder.Write($"2024-01-0{i + 1}-000000_{letters[i]}/down.sql", $"DROP TABLE base_{letters[i]};\n");
                }

                return (["20240101000000", "20240102000000"], "diesel");
            case "sqlx":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"{i + 1}_{letters[i]}.sql", CreateTable(letters[i]));
                }

                return (["1", "2"], "sqlx");
            case "kysely":
                // Kysely's own migrations are TypeScript; their SQL kept as a stepwise folder named by the same keys
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"{i + 1:0000}_{letters[i]}.up.sql", CreateTable(letters[i]));
                }

                return (["0001", "0002"], "stepwise");
            default:
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"2024010{i + 1}000000_{letters[i]}.sql", $"-- migrate:up\n{CreateTable(letters[i])}\n-- migrate:down\nDROP TABLE base_{letters[i]};\n");
                }

                return (["20240101000000", "20240102000000"], "dbmate");
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The SQL that leaves the database as the tool would have: its history table with migrations
    /// a and b recorded (plus rows that must not count: failed, rolled back, repeatable), tables a and b created.</summary>
    public static IReadOnlyList<string> History(string tool, Db db)
    {
        var sql = new List<string> { CreateTable('a'), CreateTable('b') };
        string True = db == Db.Postgres ? "true" : "1", False = db == Db.Postgres ? "false" : "0";
        switch (tool)
        {
            case "golang-migrate":
                // one row: the current version; everything up to it was applied
                sql.Add(db == Db.Sqlite
                    ? "CREATE TABLE schema_migrations (version uint64, dirty bool)"
                    : "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
                if (db == Db.Sqlite)
                {
                    sql.Add("CREATE UNIQUE INDEX version_unique ON schema_migrations (version)");
                }

                sql.Add($"INSERT INTO schema_migrations (version, dirty) VALUES (2, {False})");
                break;
            case "flyway":
                var installedOn = db switch
                {
                    Db.Sqlite => "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now'))",
                    Db.MariaDb => "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
                    _ => "TIMESTAMP NOT NULL DEFAULT now()",
                };
                sql.Add($"""
                    CREATE TABLE flyway_schema_history (
                      installed_rank INT NOT NULL PRIMARY KEY,
                      version VARCHAR(50),
                      description VARCHAR(200) NOT NULL,
                      type VARCHAR(20) NOT NULL,
                      script VARCHAR(1000) NOT NULL,
                      checksum INT,
                      installed_by VARCHAR(100) NOT NULL,
                      installed_on {installedOn},
                      execution_time INT NOT NULL,
                      success BOOLEAN NOT NULL)
                    """);
                sql.Add($"""
                    INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success) VALUES
                      (1, '1', 'a', 'SQL', 'V1__a.sql', -1502354811, 'app', 12, {True}),
                      (2, '1.1', 'b', 'SQL', 'V1_1__b.sql', 881246312, 'app', 9, {True}),
                      (3, '2', 'c', 'SQL', 'V2__c.sql', 2014371144, 'app', 3, {False}),
                      (4, NULL, 'views', 'SQL', 'R__views.sql', 1234, 'app', 3, {True})
                    """);
                break;
            case "prisma":
                var (text, stamp, count) = db switch
                {
                    Db.Sqlite => ("TEXT", "DATETIME", "INTEGER UNSIGNED"),
                    Db.MariaDb => ("VARCHAR(255)", "DATETIME(3)", "INTEGER UNSIGNED"),
                    _ => ("VARCHAR(255)", "TIMESTAMPTZ", "INTEGER"),
                };
                var now = db switch { Db.Sqlite => "current_timestamp", Db.MariaDb => "CURRENT_TIMESTAMP(3)", _ => "now()" };
                sql.Add($"""
                    CREATE TABLE _prisma_migrations (
                      id VARCHAR(36) PRIMARY KEY NOT NULL,
                      checksum VARCHAR(64) NOT NULL,
                      finished_at {stamp},
                      migration_name {text} NOT NULL,
                      logs TEXT,
                      rolled_back_at {stamp},
                      started_at {stamp} NOT NULL DEFAULT {now},
                      applied_steps_count {count} NOT NULL DEFAULT 0)
                    """);
                sql.Add($"""
                    INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, applied_steps_count) VALUES
                      ('0b7f9a5e-0000-4000-8000-000000000001', '{Hash(CreateTable('a'))}', {now}, '20240101000000_a', NULL, NULL, 1),
                      ('0b7f9a5e-0000-4000-8000-000000000002', '{Hash(CreateTable('b'))}', {now}, '20240102000000_b', NULL, NULL, 1),
                      ('0b7f9a5e-0000-4000-8000-000000000003', '{Hash(CreateTable('c'))}', NULL, '20240103000000_c', 'failed', NULL, 0),
                      ('0b7f9a5e-0000-4000-8000-000000000004', '{Hash(CreateTable('d'))}', NULL, '20240104000000_d', 'failed', {now}, 0)
                    """);
                break;
            case "drizzle":
                var table = db == Db.Postgres ? "drizzle.__drizzle_migrations" : "__drizzle_migrations";
                if (db == Db.Postgres)
                {
                    sql.Add("CREATE SCHEMA drizzle");
                }

                sql.Add(db switch
                {
                    Db.Sqlite => "CREATE TABLE \"__drizzle_migrations\" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)",
                    Db.MariaDb => "CREATE TABLE `__drizzle_migrations` (id serial primary key, hash text not null, created_at bigint)",
                    _ => $"CREATE TABLE {table} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)",
                });
                sql.Add($"INSERT INTO {table} (hash, created_at) VALUES ('{Hash(CreateTable('a'))}', {FirstWhen}), ('{Hash(CreateTable('b'))}', {FirstWhen + 1000})");
                break;
            case "goose":
                // goose v3's CREATE TABLE per dialect, then its own version 0 row; a rolled-back version's row is deleted
                sql.Add(db switch
                {
                    Db.Sqlite => "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')))",
                    Db.MariaDb => "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id))",
                    _ => "CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())",
                });
                sql.Add($"INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, {True}), (1, {True}), (2, {True})");
                break;
            case "sql-migrate":
                sql.Add(db == Db.Postgres
                    ? "CREATE TABLE gorp_migrations (id text not null primary key, applied_at timestamp with time zone)"
                    : "CREATE TABLE gorp_migrations (id varchar(255) not null primary key, applied_at datetime)");
                sql.Add("INSERT INTO gorp_migrations (id, applied_at) VALUES ('1_a.sql', '2024-01-01 00:00:00'), ('2_b.sql', '2024-01-02 00:00:00')");
                break;
            case "diesel":
                sql.Add("CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
                sql.Add("INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000000'), ('20240102000000')");
                break;
            case "sqlx":
                var (installed, bytes, checksum) = db switch
                {
                    Db.Postgres => ("TIMESTAMPTZ NOT NULL DEFAULT now()", "BYTEA", "decode('00', 'hex')"),
                    _ => ("TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", "BLOB", "X'00'"),
                };
                sql.Add($"CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on {installed}, success BOOLEAN NOT NULL, checksum {bytes} NOT NULL, execution_time BIGINT NOT NULL)");
                sql.Add($"INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (1, 'a', {True}, {checksum}, 10), (2, 'b', {True}, {checksum}, 10), (3, 'c', {False}, {checksum}, 10)");
                break;
            case "kysely":
                sql.Add("CREATE TABLE kysely_migration (name varchar(255) NOT NULL PRIMARY KEY, timestamp varchar(255) NOT NULL)");
                sql.Add("INSERT INTO kysely_migration (name, timestamp) VALUES ('0001_a', '2024-01-01T00:00:00.000Z'), ('0002_b', '2024-01-02T00:00:00.000Z')");
                break;
            default:
                sql.Add(db == Db.Sqlite
                    ? "CREATE TABLE IF NOT EXISTS \"schema_migrations\" (version varchar(128) primary key)"
                    : "CREATE TABLE schema_migrations (version varchar(128) NOT NULL PRIMARY KEY)");
                sql.Add("INSERT INTO schema_migrations (version) VALUES ('20240101000000'), ('20240102000000')");
                break;
        }

        return sql;
    }

    /// <summary>The journal's versions in the order they were recorded; opens and disposes the connection.</summary>
    public static async Task<string[]> JournalVersionsAsync(System.Data.Common.DbConnection connection)
    {
        await using (connection)
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT version FROM stepwise_migrations ORDER BY applied_at, version";
            await using var reader = await cmd.ExecuteReaderAsync();
            var list = new List<string>();
            while (await reader.ReadAsync())
            {
                list.Add(reader.GetString(0));
            }

            return [.. list];
        }
    }

    /// <summary>Runs baseline --from TOOL then up, checking the journal after each; <paramref name="count"/>
    /// answers a COUNT(*) query (and fails if the table is missing), <paramref name="versions"/> lists the
    /// journal's versions in order.</summary>
    public static async Task RunAsync(LayoutFolder folder, string tool, Db db, string url, Func<string, Task<long>> count, Func<Task<string[]>> versions)
    {
        var (expected, layout) = WriteFolder(folder, tool, db);

        var baseline = await folder.RunAsync("baseline", "--from", tool, "--layout", layout, "--database", url);
        Assert.True(baseline.ExitCode == 0, LayoutFolder.Show(baseline));
        Assert.Contains($"recorded 2 migration(s) as applied from {tool}'s history; no SQL was run", baseline.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(expected, await versions());
        Assert.Equal(0, await count("SELECT COUNT(*) FROM base_a"));

        // up runs only c and d: running a or b again would fail, their tables exist
        var up = await folder.RunAsync("up", "--layout", layout, "--database", url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Contains("applied 2 migration(s)", up.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await count("SELECT COUNT(*) FROM base_c"));
        Assert.Equal(0, await count("SELECT COUNT(*) FROM base_d"));
        Assert.Equal(4, (await versions()).Length);
    }
}
