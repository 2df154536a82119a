using System.Globalization;
using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>Layouts on MariaDB, where DDL commits implicitly: Flyway repeatables and Drizzle breakpoints.</summary>
[Collection("mariadb")]
public sealed class LayoutMariaDbTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-layout-maria-");

    public void Dispose() => _folder.Dispose();

    private async Task<(string Name, string Url)> NewDatabaseAsync(string test)
    {
        var name = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database;
        return (name, fixture.Server.UrlFor(name));
    }

    private async Task<string> JournalAsync(string db) =>
        (string)(await fixture.Server.ScalarAsync("SELECT GROUP_CONCAT(version ORDER BY applied_at, version SEPARATOR ' ') FROM stepwise_migrations", db))!;

    [Fact]
    public async Task Flyway_repeatable_view_is_reapplied_on_mariadb_when_its_checksum_changes()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Flyway_repeatable_view_is_reapplied_on_mariadb_when_its_checksum_changes));
        _folder.Write("V1__products.sql", "CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, price INT NULL);\n");
        _folder.Write("V2__seed.sql", "INSERT INTO products (id, name, price) VALUES (1, 'pen', 3), (2, 'ink', 7);\n");
        _folder.Write("R__product_views.sql", "CREATE OR REPLACE VIEW cheap_products AS SELECT id, name FROM products WHERE price < 5;\n");

        var up = await _folder.RunAsync("up", "--database", url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Equal("1 2 R__product views", await JournalAsync(db));
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT COUNT(*) FROM cheap_products", db), CultureInfo.InvariantCulture));

        var nothing = await _folder.RunAsync("up", "--database", url);
        Assert.Contains("nothing to apply", nothing.StandardOutput, StringComparison.Ordinal);

        _folder.Write("R__product_views.sql", "CREATE OR REPLACE VIEW cheap_products AS SELECT id, name FROM products WHERE price < 10;\n");
        var again = await _folder.RunAsync("up", "--database", url);
        Assert.True(again.ExitCode == 0, LayoutFolder.Show(again));
        Assert.Contains("applied 1 migration(s)", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT COUNT(*) FROM cheap_products", db), CultureInfo.InvariantCulture));
        var validate = await _folder.RunAsync("validate", "--database", url);
        Assert.True(validate.ExitCode == 0, LayoutFolder.Show(validate));
    }

    [Fact]
    public async Task Drizzle_mysql_folder_applies_in_journal_order_with_breakpoints_on_mariadb()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Drizzle_mysql_folder_applies_in_journal_order_with_breakpoints_on_mariadb));
        _folder.Write("meta/_journal.json", """
            {
              "version": "7",
              "dialect": "mysql",
              "entries": [
                { "idx": 0, "version": "5", "when": 1710000000000, "tag": "0000_nice_start", "breakpoints": true },
                { "idx": 1, "version": "5", "when": 1710000050000, "tag": "0002_later_name", "breakpoints": true },
                { "idx": 2, "version": "5", "when": 1710000090000, "tag": "0001_earlier_name", "breakpoints": true }
              ]
            }
            """);
        _folder.Write("0000_nice_start.sql", "CREATE TABLE `users` (\n\t`id` int AUTO_INCREMENT NOT NULL,\n\t`email` varchar(255) NOT NULL,\n\tCONSTRAINT `users_id` PRIMARY KEY(`id`)\n);\n--> statement-breakpoint\nCREATE TABLE `posts` (\n\t`id` int AUTO_INCREMENT NOT NULL,\n\t`user_id` int NOT NULL,\n\tCONSTRAINT `posts_id` PRIMARY KEY(`id`)\n);\n--> statement-breakpoint\nINSERT INTO `users` (`email`) VALUES ('a@example.com');");
        _folder.Write("0002_later_name.sql", "ALTER TABLE `posts` ADD `title` varchar(100);");
        _folder.Write("0001_earlier_name.sql", "CREATE INDEX `posts_title_idx` ON `posts` (`title`);");

        var up = await _folder.RunAsync("up", "--database", url);
        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Contains("[3/3] INSERT INTO `users`", up.StandardError, StringComparison.Ordinal);
        Assert.Equal(3L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT COUNT(*) FROM stepwise_migrations WHERE state = 'applied'", db), CultureInfo.InvariantCulture));
        Assert.Equal("0000", await fixture.Server.ScalarAsync("SELECT version FROM stepwise_migrations ORDER BY applied_at LIMIT 1", db));
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync($"SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = '{db}' AND index_name = 'posts_title_idx'", db), CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT COUNT(*) FROM users", db), CultureInfo.InvariantCulture));
    }
}
