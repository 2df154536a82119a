using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Files that manage their own <c>BEGIN; … COMMIT;</c> on MariaDB: a failed statement leaves the server's
/// transaction open, so the runner must roll it back (the statements since BEGIN are not applied) before it
/// records the failure; DDL commits implicitly there, which ends the file's transaction early.
/// </summary>
[Collection("mariadb")]
public sealed class SelfManagedTransactionMariaDbTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-maria-tx-");

    public void Dispose() => _folder.Dispose();

    private async Task<(string Name, string Url)> NewDatabaseAsync(string test)
    {
        var cs = await fixture.CreateDatabaseAsync(test);
        var name = new MySqlConnectionStringBuilder(cs).Database;
        return (name, fixture.Server.UrlFor(name));
    }

    private async Task<long> CountAsync(string sql, string database) =>
        Convert.ToInt64(await fixture.Server.ScalarAsync(sql, database), System.Globalization.CultureInfo.InvariantCulture);

    private const string Failing = """
        CREATE TABLE items (id INT PRIMARY KEY);
        BEGIN;
        INSERT INTO items (id) VALUES (1);
        INSERT INTO items (id) VALUES (2);
        INSERT INTO items (id) VALUES (1);
        COMMIT;
        INSERT INTO items (id) VALUES (3);

        """;

    [Fact]
    public async Task A_failure_inside_the_files_transaction_rolls_it_back_records_the_failure_and_resumes_at_its_BEGIN()
    {
        var (db, url) = await NewDatabaseAsync(nameof(A_failure_inside_the_files_transaction_rolls_it_back_records_the_failure_and_resumes_at_its_BEGIN));
        _folder.Write("0001_items.up.sql", Failing);

        var up = await _folder.RunAsync("up", "--database", url);
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("statement 5 of 7", up.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Statements 1–4", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("statements 2–5 were rolled back", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("Statement 1 was applied and stays applied", up.StandardError, StringComparison.Ordinal);

        // the rows of the failed transaction are not there, and the journal says failed (not running)
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM items", db));
        Assert.Equal("failed", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0001'", db));
        Assert.Equal(1, await CountAsync("SELECT statements_done FROM stepwise_migrations WHERE version = '0001'", db));
        Assert.Equal(4, await CountAsync("SELECT failed_statement_index FROM stepwise_migrations WHERE version = '0001'", db));

        _folder.Write("0001_items.up.sql", Failing.Replace("VALUES (1);\nCOMMIT;", "VALUES (4);\nCOMMIT;", StringComparison.Ordinal));
        var repair = await _folder.RunAsync("repair", "--database", url);
        Assert.True(repair.ExitCode == 0, LayoutFolder.Show(repair));
        Assert.Contains("resume at statement 2", repair.StandardOutput, StringComparison.Ordinal);
        var resumed = await _folder.RunAsync("up", "--database", url);
        Assert.True(resumed.ExitCode == 0, LayoutFolder.Show(resumed));
        Assert.Equal(4, await CountAsync("SELECT COUNT(*) FROM items", db));
        Assert.Equal(10, await CountAsync("SELECT SUM(id) FROM items", db));
    }

    [Fact]
    public async Task Ddl_inside_the_files_transaction_commits_it_so_what_ran_before_a_later_failure_stays_applied()
    {
        var (db, url) = await NewDatabaseAsync(nameof(Ddl_inside_the_files_transaction_commits_it_so_what_ran_before_a_later_failure_stays_applied));
        _folder.Write("0001_base.up.sql", "CREATE TABLE base (id INT PRIMARY KEY);\n");
        _folder.Write("0002_mixed.up.sql", """
            BEGIN;
            INSERT INTO base (id) VALUES (1);
            CREATE TABLE made (id INT PRIMARY KEY);
            INSERT INTO made (id) VALUES (1);
            INSERT INTO made (id) VALUES (1);
            COMMIT;

            """);

        var up = await _folder.RunAsync("up", "--database", url);
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("statement 5 of 6", up.StandardError, StringComparison.Ordinal);
        // CREATE TABLE committed the INSERT before it, and the INSERT after it ran on its own
        Assert.Contains("Statements 1–4 were applied and stay applied", up.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("rolled back", up.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM base", db));
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM made", db));
        Assert.Equal("failed", await fixture.Server.ScalarAsync("SELECT state FROM stepwise_migrations WHERE version = '0002'", db));
        Assert.Equal(4, await CountAsync("SELECT statements_done FROM stepwise_migrations WHERE version = '0002'", db));
    }
}
