using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Stepwise.Runner.Tests;

/// <summary>Each of the six folder layouts applied (and rolled back where the layout has downs) on SQLite.
/// Later migrations depend on earlier ones, so a wrong order fails the run.</summary>
public sealed class LayoutApplyTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-layout-");

    public void Dispose() => _folder.Dispose();

    private string DbPath => Path.Combine(_folder.Root, "app.db");

    private string Url => "sqlite:" + DbPath;

    private SqliteFile Db => new(DbPath);

    private object? Scalar(string sql) => Db.Scalar(sql);

    private long Count(string sql) => Db.Count(sql);

    private bool TableExists(string name) => Db.TableExists(name);

    /// <summary>Journal versions in the order they were written (rowid order).</summary>
    private string JournalOrder() => (string?)Scalar("SELECT group_concat(version, ' ') FROM (SELECT version FROM stepwise_migrations ORDER BY rowid)") ?? string.Empty;

    private async Task UpAsync(params string[] extra)
    {
        var r = await _folder.RunAsync(["up", "--database", Url, .. extra]);
        Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
    }

    private async Task DownAsync(params string[] extra)
    {
        var r = await _folder.RunAsync(["down", "--database", Url, .. extra]);
        Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
    }

    [Theory]
    [InlineData("stepwise")]
    [InlineData("golang-migrate")]
    public async Task Up_down_files_apply_in_numeric_version_order_and_roll_back(string layout)
    {
        // 10 after 2 (numeric, not by name); 10 needs the table 2 creates
        _folder.Write("1_users.up.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
        _folder.Write("1_users.down.sql", "DROP TABLE users;\n");
        _folder.Write("2_posts.up.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id));\n");
        _folder.Write("2_posts.down.sql", "DROP TABLE posts;\n");
        _folder.Write("10_post_index.up.sql", "CREATE INDEX posts_user ON posts (user_id);\n");
        _folder.Write("10_post_index.down.sql", "DROP INDEX posts_user;\n");

        await UpAsync("--layout", layout);
        Assert.Equal("1 2 10", JournalOrder());
        Assert.Equal(1, Count("SELECT count(*) FROM sqlite_master WHERE name = 'posts_user'"));

        await DownAsync("--layout", layout);
        Assert.Equal(0, Count("SELECT count(*) FROM sqlite_master WHERE name = 'posts_user'"));
        Assert.True(TableExists("posts"));
        await DownAsync("2", "--layout", layout);
        Assert.False(TableExists("posts"));
        Assert.False(TableExists("users"));
        Assert.Equal(0, Count("SELECT count(*) FROM stepwise_migrations"));
    }

    /// <summary>
    /// Flyway baseline migrations: on an empty database the newest B script up to the target stands for every V
    /// script up to its version (they are skipped, not run); a database that already has history ignores B scripts.
    /// Running the V scripts after the B script would fail here: B2 already created what V1 and V2 create.
    /// </summary>
    [Fact]
    public async Task Flyway_baseline_migration_replaces_the_versions_below_it_on_an_empty_database_only()
    {
        _folder.Write("V1__users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
        _folder.Write("V2__posts.sql", "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER);\n");
        _folder.Write("B2__schema.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER);\nCREATE TABLE from_baseline (id INTEGER PRIMARY KEY);\n");
        _folder.Write("V3__tags.sql", "CREATE TABLE tags (id INTEGER PRIMARY KEY);\n");

        var plan = await _folder.RunAsync("up", "--database", Url, "--dry-run");
        Assert.True(plan.ExitCode == 0, LayoutFolder.Show(plan));
        Assert.Contains("would apply B2 schema", plan.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("would apply 1 ", plan.StandardOutput, StringComparison.Ordinal);

        await UpAsync();
        Assert.Equal("B2 3", JournalOrder());
        Assert.True(TableExists("from_baseline"));
        Assert.True(TableExists("tags"));
        var status = await _folder.RunAsync("status", "--database", Url, "--format", "json");
        var json = status.StandardOutput.ReplaceLineEndings("\n");
        Assert.Contains("\"version\": \"1\",\n      \"name\": \"users\",\n      \"state\": \"skipped\"", json, StringComparison.Ordinal);
        Assert.Contains("\"version\": \"B2\",\n      \"name\": \"schema\",\n      \"state\": \"applied\"", json, StringComparison.Ordinal);
        var again = await _folder.RunAsync("up", "--database", Url);
        Assert.Contains("nothing to apply", again.StandardOutput, StringComparison.Ordinal);

        // a database with history (here: V1 applied first, as --to 1 chooses no baseline) ignores the B script
        File.Delete(DbPath);
        await UpAsync("--to", "1");
        await UpAsync();
        Assert.Equal("1 2 3", JournalOrder());
        Assert.False(TableExists("from_baseline"));
    }

    [Fact]
    public async Task Flyway_versions_apply_in_numeric_order_then_repeatables_which_rerun_when_changed()
    {
        _folder.Write("V1__settings.sql", "CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT);\n");
        _folder.Write("V1_1__seed.sql", "INSERT INTO settings (k, v) VALUES ('seeded', '1.1');\n");
        _folder.Write("V2__audit.sql", "CREATE TABLE audit (id INTEGER PRIMARY KEY, what TEXT);\n");
        _folder.Write("sub/V10__audit_when.sql", "ALTER TABLE audit ADD COLUMN happened_at TEXT;\n");
        _folder.Write("sub/U10__audit_when.sql", "ALTER TABLE audit DROP COLUMN happened_at;\n");
        // a repeatable that needs the versioned tables: it must run after them
        _folder.Write("R__views.sql", "DROP VIEW IF EXISTS audit_view;\nCREATE VIEW audit_view AS SELECT id, what, happened_at FROM audit;\nINSERT INTO settings (k, v) VALUES ('views', 'first') ON CONFLICT (k) DO UPDATE SET v = excluded.v;\n");

        await UpAsync();
        Assert.Equal("1 1.1 2 10 R__views", JournalOrder());
        Assert.Equal("first", Scalar("SELECT v FROM settings WHERE k = 'views'"));
        var firstChecksum = (string?)Scalar("SELECT checksum FROM stepwise_migrations WHERE version = 'R__views'");

        // unchanged: nothing runs
        var again = await _folder.RunAsync("up", "--database", Url);
        Assert.Contains("nothing to apply", again.StandardOutput, StringComparison.Ordinal);

        // changed: status says pending, up re-applies it (after a new versioned migration) with the new checksum
        _folder.Write("R__views.sql", "DROP VIEW IF EXISTS audit_view;\nCREATE VIEW audit_view AS SELECT id, what FROM audit;\nINSERT INTO settings (k, v) VALUES ('views', 'second') ON CONFLICT (k) DO UPDATE SET v = excluded.v;\nINSERT INTO settings (k, v) VALUES ('v3 seen', (SELECT v FROM settings WHERE k = 'v3'));\n");
        _folder.Write("V11__v3.sql", "INSERT INTO settings (k, v) VALUES ('v3', 'yes');\n");
        var status = await _folder.RunAsync("status", "--database", Url, "--format", "json");
        Assert.Contains("\"version\": \"R__views\",\n      \"name\": \"views\",\n      \"state\": \"pending\"", status.StandardOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"version\": \"11\",\n      \"name\": \"v3\",\n      \"state\": \"pending\"", status.StandardOutput.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        await UpAsync();
        Assert.Equal("second", Scalar("SELECT v FROM settings WHERE k = 'views'"));
        Assert.Equal("yes", Scalar("SELECT v FROM settings WHERE k = 'v3 seen'"));
        Assert.Equal(1, Count("SELECT count(*) FROM stepwise_migrations WHERE version = 'R__views'"));
        Assert.NotEqual(firstChecksum, (string?)Scalar("SELECT checksum FROM stepwise_migrations WHERE version = 'R__views'"));
        var validate = await _folder.RunAsync("validate", "--database", Url);
        Assert.True(validate.ExitCode == 0, LayoutFolder.Show(validate));

        // down: V11 has no undo script
        var noUndo = await _folder.RunAsync("down", "--database", Url);
        Assert.Equal(1, noUndo.ExitCode);
        Assert.Contains("has no down migration", noUndo.StandardError, StringComparison.Ordinal);
        _folder.Write("U11__v3.sql", "DELETE FROM settings WHERE k = 'v3';\n");
        await DownAsync("2");
        Assert.Equal(0, Count("SELECT count(*) FROM settings WHERE k = 'v3'"));
        Assert.Equal(0, Count("SELECT count(*) FROM pragma_table_info('audit') WHERE name = 'happened_at'"));
        Assert.Equal("1 1.1 2 R__views", JournalOrder());
    }

    [Fact]
    public async Task Prisma_directories_apply_in_name_order_and_roll_back_with_down_sql()
    {
        _folder.Write("migration_lock.toml", "# Please do not edit this file manually\nprovider = \"sqlite\"\n");
        _folder.Write("20240101000000_init/migration.sql", "-- CreateTable\nCREATE TABLE \"User\" (\n    \"id\" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,\n    \"email\" TEXT NOT NULL\n);\n");
        _folder.Write("20240101000000_init/down.sql", "DROP TABLE \"User\";\n");
        _folder.Write("20240215120000_email_index/migration.sql", "-- CreateIndex\nCREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");\n");
        _folder.Write("20240215120000_email_index/down.sql", "DROP INDEX \"User_email_key\";\n");

        await UpAsync();
        Assert.Equal("20240101000000_init 20240215120000_email_index", JournalOrder());
        Assert.Equal(1, Count("SELECT count(*) FROM sqlite_master WHERE name = 'User_email_key'"));
        await DownAsync("2");
        Assert.False(TableExists("User"));
        Assert.Equal(0, Count("SELECT count(*) FROM stepwise_migrations"));
    }

    [Fact]
    public async Task Drizzle_applies_in_journal_order_and_splits_at_statement_breakpoints()
    {
        // the journal, not the file names, gives the order: 0002_tags (idx 1) creates what 0001_tag_index (idx 2) needs
        _folder.Write("meta/_journal.json", """
            {
              "version": "7",
              "dialect": "sqlite",
              "entries": [
                { "idx": 0, "version": "6", "when": 1700000000000, "tag": "0000_init", "breakpoints": true },
                { "idx": 1, "version": "6", "when": 1700000100000, "tag": "0002_tags", "breakpoints": true },
                { "idx": 2, "version": "6", "when": 1700000200000, "tag": "0001_tag_index", "breakpoints": true }
              ]
            }
            """);
        _folder.Write("0000_init.sql", "CREATE TABLE `users` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`name` text\n);\n--> statement-breakpoint\nCREATE UNIQUE INDEX `users_name_unique` ON `users` (`name`);\n--> statement-breakpoint\nCREATE TRIGGER `users_touch` AFTER INSERT ON `users` BEGIN UPDATE `users` SET `name` = `name` WHERE `id` = NEW.`id`; END;\n");
        _folder.Write("0002_tags.sql", "CREATE TABLE `tags` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`label` text NOT NULL\n);\n");
        _folder.Write("0001_tag_index.sql", "CREATE INDEX `tags_label_idx` ON `tags` (`label`);\n");

        var dry = await _folder.RunAsync("up", "--dry-run", "--database", Url);
        Assert.True(dry.ExitCode == 0, LayoutFolder.Show(dry));
        Assert.Contains("would apply 0000 init (3 statement(s)", dry.StandardOutput, StringComparison.Ordinal);

        await UpAsync();
        Assert.Equal("0000 0002 0001", JournalOrder());
        Assert.Equal(1, Count("SELECT count(*) FROM sqlite_master WHERE name = 'users_touch'"));
        Assert.Equal(1, Count("SELECT count(*) FROM sqlite_master WHERE name = 'tags_label_idx'"));
        var status = await _folder.RunAsync("status", "--database", Url);
        Assert.True(status.ExitCode == 0, LayoutFolder.Show(status));

        // drizzle has no down migrations
        var down = await _folder.RunAsync("down", "--database", Url);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("has no down migration", down.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dbmate_sections_apply_up_and_down_and_transaction_false_runs_statement_by_statement()
    {
        _folder.Write("20240101000000_create_items.sql", "-- migrate:up\nCREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);\n\n-- migrate:down\nDROP TABLE items;\n");
        _folder.Write("20240102000000_item_index.sql", "-- migrate:up transaction:false\nCREATE INDEX items_name ON items (name);\nINSERT INTO items (id, name) VALUES (1, 'x');\n\n-- migrate:down transaction:false\nDELETE FROM items WHERE id = 1;\nDROP INDEX items_name;\n");

        var dry = await _folder.RunAsync("up", "--dry-run", "--database", Url);
        Assert.True(dry.ExitCode == 0, LayoutFolder.Show(dry));
        Assert.Contains("would apply 20240101000000 create_items (1 statement(s), in one transaction)", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("would apply 20240102000000 item_index (2 statement(s), statement by statement: transaction:false on '-- migrate:up')", dry.StandardOutput, StringComparison.Ordinal);

        await UpAsync();
        Assert.Equal("20240101000000 20240102000000", JournalOrder());
        Assert.Equal(1, Count("SELECT count(*) FROM items"));
        Assert.Equal(1, Count("SELECT count(*) FROM sqlite_master WHERE name = 'items_name'"));
        Assert.Equal(2, Count("SELECT statements_done FROM stepwise_migrations WHERE version = '20240102000000'"));

        await DownAsync();
        Assert.Equal(0, Count("SELECT count(*) FROM sqlite_master WHERE name = 'items_name'"));
        Assert.Equal(0, Count("SELECT count(*) FROM items"));
        await DownAsync();
        Assert.False(TableExists("items"));
        Assert.Equal(0, Count("SELECT count(*) FROM stepwise_migrations"));
    }
}
