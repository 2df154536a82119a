namespace Stepwise.Runner.Tests;

/// <summary>A file that manages its own <c>BEGIN; … COMMIT;</c> on SQLite: a failed statement leaves the
/// transaction open, so the runner rolls it back before it records the failure, and names only what stays applied.</summary>
public sealed class SelfManagedTransactionSqliteTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-sqlite-tx-");

    public void Dispose() => _folder.Dispose();

    private SqliteFile Db => new(Path.Combine(_folder.Root, "app.db"));

    private const string Failing = """
        CREATE TABLE before_tx (id INTEGER PRIMARY KEY);
        BEGIN;
        CREATE TABLE inside_tx (id INTEGER PRIMARY KEY);
        INSERT INTO inside_tx (id) VALUES (1);
        INSERT INTO no_such_table (id) VALUES (1);
        COMMIT;
        CREATE TABLE after_tx (id INTEGER PRIMARY KEY);

        """;

    [Fact]
    public async Task A_failure_inside_the_files_transaction_rolls_it_back_and_resumes_at_its_BEGIN()
    {
        _folder.Write("0001_own_tx.up.sql", Failing);

        var up = await _folder.RunAsync("up", "--database", Db.Url);
        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("statement 5 of 7", up.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Statements 1–4", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("statements 2–5 were rolled back", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("Statement 1 was applied and stays applied", up.StandardError, StringComparison.Ordinal);

        Assert.True(Db.TableExists("before_tx"));
        Assert.False(Db.TableExists("inside_tx"));
        Assert.Equal("failed", Db.Scalar("SELECT state FROM stepwise_migrations WHERE version = '0001'"));
        Assert.Equal(1, Db.Count("SELECT statements_done FROM stepwise_migrations WHERE version = '0001'"));
        Assert.Equal(4, Db.Count("SELECT failed_statement_index FROM stepwise_migrations WHERE version = '0001'"));

        _folder.Write("0001_own_tx.up.sql", Failing.Replace("INSERT INTO no_such_table (id) VALUES (1);", "INSERT INTO inside_tx (id) VALUES (2);", StringComparison.Ordinal));
        var repair = await _folder.RunAsync("repair", "--database", Db.Url);
        Assert.True(repair.ExitCode == 0, LayoutFolder.Show(repair));
        Assert.Contains("resume at statement 2", repair.StandardOutput, StringComparison.Ordinal);
        var resumed = await _folder.RunAsync("up", "--database", Db.Url);
        Assert.True(resumed.ExitCode == 0, LayoutFolder.Show(resumed));
        Assert.Equal(2, Db.Count("SELECT count(*) FROM inside_tx"));
        Assert.True(Db.TableExists("after_tx"));
        Assert.Equal("applied", Db.Scalar("SELECT state FROM stepwise_migrations WHERE version = '0001'"));
    }
}
