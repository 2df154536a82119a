using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>Ctrl-C (SIGINT) during `stepwise up`: the statement in flight is cancelled on the server, its
/// transaction rolls back, the process exits 130 with one line saying how to continue, and the next `up` does.</summary>
[Collection("postgres")]
public sealed class PostgresInterruptTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Ctrl_c_in_a_transactional_migration_rolls_it_back_and_exits_130()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        pg.Write("0002_slow.up.sql", "CREATE TABLE slow (id integer PRIMARY KEY);\nSELECT pg_sleep(20);\n");

        ChildProcessResult result;
        await using (var up = pg.Start("up"))
        {
            await pg.WaitForStepwiseStatementAsync(up, "SELECT pg_sleep(20)");
            up.Interrupt();
            result = await up.WaitForExitAsync(TimeSpan.FromSeconds(15)); // well before the sleep would end
        }

        output.WriteLine(PgScenario.Describe(result));
        PgScenario.AssertNoPassword(result, "up");
        Assert.Equal(130, result.ExitCode);
        Assert.Contains("interrupted", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);

        // the sleep was cancelled on the server, not left running; 0002 rolled back entirely
        await pg.WaitForStepwiseSessionsToEndAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["0001"], (await pg.JournalAsync()).Select(j => j.Version));
        Assert.False(await pg.TableExistsAsync("slow"));

        pg.Write("0002_slow.up.sql", "CREATE TABLE slow (id integer PRIMARY KEY);\nSELECT pg_sleep(0.1);\n");
        var next = await pg.RunAsync("up");
        Assert.True(next.ExitCode == 0, PgScenario.Describe(next));
        Assert.True(await pg.TableExistsAsync("slow"));
    }

    [Fact]
    public async Task Ctrl_c_in_a_no_transaction_migration_records_the_statements_that_committed()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_steps.up.sql", "-- stepwise:no-transaction\nCREATE TABLE a (id integer PRIMARY KEY);\nSELECT pg_sleep(20);\nCREATE TABLE b (id integer PRIMARY KEY);\n");

        ChildProcessResult result;
        await using (var up = pg.Start("up"))
        {
            await pg.WaitForStepwiseStatementAsync(up, "SELECT pg_sleep(20)");
            up.Interrupt();
            result = await up.WaitForExitAsync(TimeSpan.FromSeconds(15));
        }

        output.WriteLine(PgScenario.Describe(result));
        Assert.Equal(130, result.ExitCode);
        var journal = Assert.Single(await pg.JournalAsync());
        Assert.Equal("running", journal.State);
        Assert.Equal(1, journal.StatementsDone); // the next up resumes at the interrupted statement
        Assert.True(await pg.TableExistsAsync("a"));
        Assert.False(await pg.TableExistsAsync("b"));
    }
}
