using System.Globalization;
using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`-- stepwise:expand-contract` end to end through the real `stepwise` program on MariaDB: a type change
/// (MODIFY) and a rename in one file; old- and new-release statements during `expanded`; complete and abort.</summary>
[Collection("mariadb")]
public sealed class ExpandContractMariaDbTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-ec-maria-");

    public void Dispose() => _folder.Dispose();

    private async Task<(string Name, string Url)> NewDatabaseAsync(string test)
    {
        var cs = await fixture.CreateDatabaseAsync(test);
        var name = new MySqlConnectionStringBuilder(cs).Database;
        _folder.Write("0001_orders.sql", "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(50) NOT NULL, quantity INT NOT NULL DEFAULT 1, KEY orders_customer (customer));\n" +
            "INSERT INTO orders VALUES (1, 'ada', 5), (2, 'bob', 7), (3, 'cy', 9);\n");
        _folder.Write("0002_change.sql", "-- stepwise:expand-contract\nALTER TABLE orders MODIFY quantity BIGINT NOT NULL DEFAULT 1;\nALTER TABLE orders RENAME COLUMN customer TO customer_name;\n");
        return (name, fixture.Server.UrlFor(name));
    }

    private async Task<string> RunOkAsync(string url, params string[] args)
    {
        var r = await _folder.RunAsync([.. args, "--database", url]);
        Assert.True(r.ExitCode == 0, LayoutFolder.Show(r));
        return r.StandardOutput + r.StandardError;
    }

    private Task<object?> ScalarAsync(string db, string sql) => fixture.Server.ScalarAsync(sql, db);

    private Task ExecAsync(string db, string sql) => fixture.Server.ExecuteAsync(sql, db);

    private async Task<string> CatalogAsync(string db)
    {
        var columns = await ScalarAsync(db, $"SELECT GROUP_CONCAT(CONCAT_WS(':', column_name, column_type, is_nullable, IFNULL(column_default, '-')) ORDER BY column_name) FROM information_schema.columns WHERE table_schema = '{db}' AND table_name = 'orders'");
        var indexes = await ScalarAsync(db, $"SELECT GROUP_CONCAT(CONCAT_WS(':', index_name, column_name, seq_in_index, non_unique) ORDER BY index_name, seq_in_index) FROM information_schema.statistics WHERE table_schema = '{db}' AND table_name = 'orders'");
        var triggers = await ScalarAsync(db, $"SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = '{db}'");
        var views = await ScalarAsync(db, $"SELECT COUNT(*) FROM information_schema.views WHERE table_schema = '{db}'");
        return $"{columns}\n{indexes}\ntriggers={triggers} views={views}";
    }

    [Fact]
    public async Task Type_change_and_rename_run_both_releases_then_complete_equals_the_plain_sql()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Type_change_and_rename_run_both_releases_then_complete_equals_the_plain_sql));
        await RunOkAsync(url, "up");
        var status = await RunOkAsync(url, "status");
        Assert.Contains("expanded since", status, StringComparison.Ordinal);

        // old release: old name, old type; new release: new name
        await ExecAsync(db, "INSERT INTO orders (id, customer, quantity) VALUES (10, 'old-release', 11)");
        Assert.Equal("old-release", await ScalarAsync(db, "SELECT customer_name FROM orders WHERE id = 10"));
        await ExecAsync(db, "INSERT INTO orders (id, customer_name, quantity) VALUES (11, 'new-release', 12)");
        Assert.Equal("new-release", await ScalarAsync(db, "SELECT customer FROM orders WHERE id = 11"));
        await ExecAsync(db, "UPDATE orders SET customer = 'ada2', quantity = 50 WHERE id = 1");
        Assert.Equal("ada2", await ScalarAsync(db, "SELECT customer_name FROM orders WHERE id = 1"));
        await ExecAsync(db, "UPDATE orders SET customer_name = 'bob2' WHERE id = 2");
        Assert.Equal("bob2", await ScalarAsync(db, "SELECT customer FROM orders WHERE id = 2"));
        await ExecAsync(db, "DELETE FROM orders WHERE id = 3");

        await RunOkAsync(url, "complete", "--force");
        Assert.Contains("applied", await RunOkAsync(url, "status"), StringComparison.Ordinal);
        Assert.Equal("1:ada2:50,2:bob2:7,10:old-release:11,11:new-release:12", await ScalarAsync(db, "SELECT GROUP_CONCAT(CONCAT_WS(':', id, customer_name, quantity) ORDER BY id) FROM orders"));
        // after complete the new type holds what the old one could not
        await ExecAsync(db, "UPDATE orders SET quantity = 5000000000 WHERE id = 1");
        Assert.Equal(5_000_000_000L, Convert.ToInt64(await ScalarAsync(db, "SELECT quantity FROM orders WHERE id = 1"), CultureInfo.InvariantCulture));

        // the catalog equals the plain SQL's on a twin database
        var twin = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(nameof(Type_change_and_rename_run_both_releases_then_complete_equals_the_plain_sql) + "_twin")).Database;
        await ExecAsync(twin, "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(50) NOT NULL, quantity INT NOT NULL DEFAULT 1, KEY orders_customer (customer))");
        await ExecAsync(twin, "ALTER TABLE orders MODIFY quantity BIGINT NOT NULL DEFAULT 1");
        await ExecAsync(twin, "ALTER TABLE orders RENAME COLUMN customer TO customer_name");
        Assert.Equal(await CatalogAsync(twin), await CatalogAsync(db));
    }

    [Fact]
    public async Task Abort_leaves_the_catalog_as_before_up_and_keeps_rows_written_while_expanded()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Abort_leaves_the_catalog_as_before_up_and_keeps_rows_written_while_expanded));
        await RunOkAsync(url, "up", "--to", "0001");
        var before = await CatalogAsync(db);
        await RunOkAsync(url, "up");
        Assert.NotEqual(before, await CatalogAsync(db));
        await ExecAsync(db, "INSERT INTO orders (id, customer_name, quantity) VALUES (12, 'new-release', 3)");
        await RunOkAsync(url, "abort");
        Assert.Equal(before, await CatalogAsync(db));
        Assert.Equal("new-release", await ScalarAsync(db, "SELECT customer FROM orders WHERE id = 12"));
        Assert.Contains("pending", await RunOkAsync(url, "status"), StringComparison.Ordinal);
    }
}
