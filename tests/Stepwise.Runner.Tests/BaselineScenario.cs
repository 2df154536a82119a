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

    public static readonly string[] Tools = ["golang-migrate", "flyway", "prisma", "drizzle", "dbmate", "goose", "sql-migrate", "diesel", "sqlx", "kysely", "atlas", "liquibase", "pop", "dbup", "evolve", "grate", "roundhouse"];

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
            case "atlas":
                var files = new List<(string Name, byte[] Bytes)>();
                for (var i = 0; i < 4; i++)
                {
                    var name = $"2024010{i + 1}000000_{letters[i]}.sql";
                    folder.Write(name, CreateTable(letters[i]));
                    files.Add((name, Encoding.UTF8.GetBytes(CreateTable(letters[i]))));
                }

                folder.Write("atlas.sum", AtlasSum(files));
                return (["20240101000000", "20240102000000"], "atlas");
            case "liquibase":
                folder.Write("changelog.sql", "--liquibase formatted sql\n\n" + string.Concat(Enumerable.Range(0, 4).Select(i =>
                    $"--changeset dev:{i + 1}\n{CreateTable(letters[i])}--rollback DROP TABLE base_{letters[i]};\n\n")));
                return (["dev:1", "dev:2"], "liquibase");
            case "pop":
                for (var i = 0; i < 4; i++)
                {
                    // the same migration per dialect, as ory's projects keep them; only the target's files run
                    foreach (var dialect in new[] { "postgres", "mysql", "sqlite3", "cockroach" })
                    {
                        folder.Write($"2024010{i + 1}000000_{letters[i]}.{dialect}.up.sql", CreateTable(letters[i]));
                        folder.Write($"2024010{i + 1}000000_{letters[i]}.{dialect}.down.sql", $"DROP TABLE base_{letters[i]};\n");
                    }
                }

                return (["20240101000000", "20240102000000"], "pop");
            case "dbup":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"Script000{i + 1} - {letters[i]}.sql", CreateTable(letters[i]));
                }

                return (["Script0001 - a.sql", "Script0002 - b.sql"], "dbup");
            case "evolve":
                folder.Write("evolve.json", "{ \"Locations\": [\".\"] }\n");
                folder.Write("V1__a.sql", CreateTable('a'));
                folder.Write("V1_1__b.sql", CreateTable('b'));
                folder.Write("V2__c.sql", CreateTable('c'));
                folder.Write("V3__d.sql", CreateTable('d'));
                return (["1", "1.1"], "evolve");
            case "grate":
            case "roundhouse":
                for (var i = 0; i < 4; i++)
                {
                    folder.Write($"up/000{i + 1}_{letters[i]}.sql", CreateTable(letters[i]));
                }

                return (["0001_a.sql", "0002_b.sql"], tool);
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

    // atlas.sum as Atlas writes it (sql/migrate/dir.go): a running SHA-256 over each file's name then bytes, in name order
    private static string AtlasSum(List<(string Name, byte[] Bytes)> files)
    {
        using var running = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sum = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = new StringBuilder();
        foreach (var (name, bytes) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            running.AppendData(Encoding.UTF8.GetBytes(name));
            running.AppendData(bytes);
            var hash = Convert.ToBase64String(running.GetCurrentHash());
            sum.AppendData(Encoding.UTF8.GetBytes(name));
            sum.AppendData(Encoding.UTF8.GetBytes(hash));
            lines.Append(name).Append(" h1:").Append(hash).Append('\n');
        }

        return "h1:" + Convert.ToBase64String(sum.GetCurrentHash()) + "\n" + lines;
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
            case "atlas":
                // Atlas's revisions table (its ent schema); on PostgreSQL in a schema of its own. A cloud-identifier
                // row (bookkeeping) and a failed revision (applied < total) must not count.
                var revisions = db == Db.Postgres ? "atlas_schema_revisions.atlas_schema_revisions" : "atlas_schema_revisions";
                if (db == Db.Postgres)
                {
                    sql.Add("CREATE SCHEMA IF NOT EXISTS atlas_schema_revisions");
                }

                sql.Add(db switch
                {
                    Db.Postgres => $"CREATE TABLE {revisions} (version character varying NOT NULL, description character varying NOT NULL, type bigint NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0, executed_at timestamptz NOT NULL, execution_time bigint NOT NULL, error text NULL, error_stmt text NULL, hash character varying NOT NULL, partial_hashes jsonb NULL, operator_version character varying NOT NULL, PRIMARY KEY (version))",
                    Db.MariaDb => "CREATE TABLE atlas_schema_revisions (version varchar(255) NOT NULL, description varchar(255) NOT NULL, type bigint unsigned NOT NULL DEFAULT 2, applied bigint NOT NULL DEFAULT 0, total bigint NOT NULL DEFAULT 0, executed_at timestamp NOT NULL, execution_time bigint NOT NULL, error longtext NULL, error_stmt longtext NULL, hash varchar(255) NOT NULL, partial_hashes json NULL, operator_version varchar(255) NOT NULL, PRIMARY KEY (version)) CHARSET utf8mb4 COLLATE utf8mb4_bin",
                    _ => "CREATE TABLE atlas_schema_revisions (version text NOT NULL, description text NOT NULL, type integer NOT NULL DEFAULT 2, applied integer NOT NULL DEFAULT 0, total integer NOT NULL DEFAULT 0, executed_at datetime NOT NULL, execution_time integer NOT NULL, error text NULL, error_stmt text NULL, hash text NOT NULL, partial_hashes json NULL, operator_version text NOT NULL, PRIMARY KEY (version))",
                });
                sql.Add($"""
                    INSERT INTO {revisions} (version, description, type, applied, total, executed_at, execution_time, error, error_stmt, hash, partial_hashes, operator_version) VALUES
                      ('.atlas_cloud_identifier', 'b6a3c0de-0000-4000-8000-000000000000', 2, 0, 0, '2024-01-01 00:00:00', 0, NULL, NULL, '', NULL, 'Atlas CLI v0.29.0'),
                      ('20240101000000', 'a', 2, 1, 1, '2024-01-01 00:00:00', 1000, '', '', 'h1', NULL, 'Atlas CLI v0.29.0'),
                      ('20240102000000', 'b', 2, 1, 1, '2024-01-02 00:00:00', 1000, '', '', 'h2', NULL, 'Atlas CLI v0.29.0'),
                      ('20240103000000', 'c', 2, 0, 1, '2024-01-03 00:00:00', 1000, 'relation exists', 'CREATE TABLE base_c', 'h3', NULL, 'Atlas CLI v0.29.0')
                    """);
                break;
            case "liquibase":
                // Liquibase's DATABASECHANGELOG (created unquoted: lower case on PostgreSQL)
                // on MariaDB Liquibase creates it in upper case, and Linux table names are case-sensitive
                var changelog = db == Db.MariaDb ? "DATABASECHANGELOG" : "databasechangelog";
                sql.Add($"CREATE TABLE {changelog} (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL, FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP NOT NULL, ORDEREXECUTED INTEGER NOT NULL, EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255), TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255), DEPLOYMENT_ID VARCHAR(10))");
                sql.Add($"""
                    INSERT INTO {changelog} (ID, AUTHOR, FILENAME, DATEEXECUTED, ORDEREXECUTED, EXECTYPE, MD5SUM, DESCRIPTION, COMMENTS, LIQUIBASE, DEPLOYMENT_ID) VALUES
                      ('1', 'dev', 'db/changelog/changelog.sql', '2024-01-01 00:00:00', 1, 'EXECUTED', '9:0b1e6d5d0d4c1c2d0f3e4a5b6c7d8e9f', 'sql', '', '4.29.2', '4100000000'),
                      ('2', 'dev', 'db/changelog/changelog.sql', '2024-01-01 00:00:01', 2, 'EXECUTED', '9:1c2f7e6e1e5d2d3e1a4f5b6c7d8e9fa0', 'sql', '', '4.29.2', '4100000000')
                    """);
                break;
            case "pop":
                // pop's schema_migration as its fizz creates it
                sql.Add("CREATE TABLE schema_migration (version VARCHAR (14) NOT NULL, PRIMARY KEY(version))");
                sql.Add("CREATE UNIQUE INDEX schema_migration_version_idx ON schema_migration (version)");
                sql.Add("INSERT INTO schema_migration (version) VALUES ('20240101000000'), ('20240102000000')");
                break;
            case "dbup":
                // DbUp's journal; a script run from an embedded resource is named with its namespace
                sql.Add(db switch
                {
                    Db.Postgres => "CREATE TABLE schemaversions (schemaversionsid serial NOT NULL, scriptname character varying(255) NOT NULL, applied timestamp without time zone NOT NULL, CONSTRAINT pk_schemaversions_id PRIMARY KEY (schemaversionsid))",
                    Db.MariaDb => "CREATE TABLE schemaversions (schemaversionsid INT NOT NULL AUTO_INCREMENT, scriptname VARCHAR(255) NOT NULL, applied TIMESTAMP NOT NULL, PRIMARY KEY (schemaversionsid))",
                    _ => "CREATE TABLE SchemaVersions (SchemaVersionID INTEGER CONSTRAINT PK_SchemaVersions_SchemaVersionID PRIMARY KEY AUTOINCREMENT NOT NULL, ScriptName TEXT NOT NULL, Applied DATETIME NOT NULL)",
                });
                sql.Add("INSERT INTO schemaversions (scriptname, applied) VALUES ('MyApp.Migrations.Scripts.Script0001 - a.sql', '2024-01-01 00:00:00'), ('Script0002 - b.sql', '2024-01-02 00:00:00')");
                break;
            case "evolve":
                // Evolve's changelog: its schema row (type 1, version 0), two migrations, a failed one, a repeatable (type 4)
                sql.Add(db == Db.Postgres
                    ? "CREATE TABLE changelog (id SERIAL PRIMARY KEY NOT NULL, type SMALLINT, version VARCHAR(50), description VARCHAR(200) NOT NULL, name VARCHAR(300) NOT NULL, checksum VARCHAR(32), installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), success BOOLEAN NOT NULL)"
                    : db == Db.MariaDb
                        ? "CREATE TABLE changelog (id INT AUTO_INCREMENT NOT NULL, type TINYINT(3), version VARCHAR(50), description VARCHAR(200) NOT NULL, name VARCHAR(300) NOT NULL, checksum VARCHAR(32), installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BIT(1) NOT NULL, PRIMARY KEY (id))"
                        : "CREATE TABLE changelog (id INTEGER PRIMARY KEY AUTOINCREMENT, type TINYINT, version VARCHAR(50), description VARCHAR(200) NOT NULL, name VARCHAR(300) NOT NULL, checksum VARCHAR(32), installed_by VARCHAR(100) NOT NULL, installed_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), success BOOLEAN NOT NULL)");
                sql.Add($"""
                    INSERT INTO changelog (type, version, description, name, checksum, installed_by, success) VALUES
                      (1, '0', 'Create new schema: public.', 'public', '', 'app', {True}),
                      (0, '1', 'a', 'V1__a.sql', 'A1B2C3', 'app', {True}),
                      (0, '1.1', 'b', 'V1_1__b.sql', 'D4E5F6', 'app', {True}),
                      (0, '2', 'c', 'V2__c.sql', 'A7B8C9', 'app', {False}),
                      (4, NULL, 'views', 'R__views.sql', 'FFFFFF', 'app', {True})
                    """);
                break;
            case "grate":
            case "roundhouse":
                // grate's ScriptsRun (RoundhousE's has the same columns), in the tool's schema on PostgreSQL; grate on
                // MariaDB/MySQL and SQLite, which have no schemas, names it schema_table (MariaDbSyntax/SqliteSyntax
                // TableWithSchema: grate_ScriptsRun, as its 02_create_scripts_run_table.sql creates it there)
                var schema = tool == "grate" ? "grate" : "RoundhousE";
                var scriptsRun = db == Db.Postgres ? $"\"{schema}\".\"ScriptsRun\"" : tool == "grate" ? "grate_ScriptsRun" : "ScriptsRun";
                if (db == Db.Postgres)
                {
                    sql.Add($"CREATE SCHEMA \"{schema}\"");
                }

                var identity = db switch { Db.Postgres => "GENERATED ALWAYS AS IDENTITY", Db.MariaDb => "AUTO_INCREMENT", _ => string.Empty };
                sql.Add($"CREATE TABLE {scriptsRun} (id bigint {identity} NOT NULL, version_id BIGINT NULL, script_name varchar(255) NULL, text_of_script text NULL, text_hash varchar(512) NULL, one_time_script boolean NULL, entry_date timestamp NULL, modified_date timestamp NULL, entered_by varchar(50) NULL, PRIMARY KEY (id))");
                sql.Add($"""
                    INSERT INTO {scriptsRun} ({(db == Db.Sqlite ? "id, " : string.Empty)}version_id, script_name, text_of_script, text_hash, one_time_script, entry_date, modified_date, entered_by) VALUES
                      ({(db == Db.Sqlite ? "1, " : string.Empty)}1, '0001_a.sql', 'CREATE TABLE base_a (id BIGINT PRIMARY KEY);', 'h1', {True}, '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'app'),
                      ({(db == Db.Sqlite ? "2, " : string.Empty)}1, '0002_b.sql', 'CREATE TABLE base_b (id BIGINT PRIMARY KEY);', 'h2', {True}, '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'app')
                    """);
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
        Assert.DoesNotContain("have no migration file", baseline.StandardOutput, StringComparison.Ordinal); // bookkeeping and failed rows are not versions
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
