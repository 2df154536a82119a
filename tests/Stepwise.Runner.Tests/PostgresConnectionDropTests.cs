using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>pg_terminate_backend of stepwise's session while a migration's statement runs.</summary>
[Collection("postgres")]
public sealed class PostgresConnectionDropTests(PostgresFixture fixture, ITestOutputHelper output)
{
    /// <summary>Waits for stepwise's session to be running <paramref name="statement"/>, then terminates it.</summary>
    private static async Task TerminateWhenRunningAsync(PgScenario pg, ChildProcessHandle up, string statement)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            Assert.False(up.HasExited, "up ended before its statement was seen running:\n" + up.StandardError);
            Assert.True(DateTime.UtcNow < deadline, "stepwise never ran " + statement);
            var terminated = await pg.ScalarAsync<long>(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{pg.Database}' AND application_name = 'stepwise' AND state = 'active' AND query LIKE '{statement}%'");
            if (terminated > 0)
            {
                return;
            }

            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Dropped_connection_in_a_transactional_migration_records_nothing_and_the_next_up_applies_it()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        pg.Write("0002_slow.up.sql", "CREATE TABLE slow (id integer PRIMARY KEY);\nSELECT pg_sleep(3);\n");

        ChildProcessResult result;
        await using (var up = pg.Start("up"))
        {
            await TerminateWhenRunningAsync(pg, up, "SELECT pg_sleep(3)");
            result = await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        PgScenario.AssertNoPassword(result, "up");
        Assert.NotEqual(0, result.ExitCode);
        var problem = Assert.Single(PgScenario.ProblemLines(result));
        output.WriteLine(problem);
        Assert.Contains("0002 slow", problem, StringComparison.Ordinal);
        Assert.Contains("connection", problem, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal); // no stack trace

        // the transaction rolled back with the connection: 0002 is not recorded and left nothing behind
        var journal = await pg.JournalAsync();
        Assert.Equal(["0001"], journal.Select(j => j.Version));
        Assert.Equal("applied", journal[0].State);
        Assert.False(await pg.TableExistsAsync("slow"));

        var next = await pg.RunAsync("up");
        Assert.True(next.ExitCode == 0, PgScenario.Describe(next));
        Assert.True(await pg.TableExistsAsync("slow"));
        Assert.Equal(["applied", "applied"], (await pg.JournalAsync()).Select(j => j.State));
    }

    [Fact]
    public async Task Dropped_connection_between_statements_of_a_no_transaction_migration_resumes_where_it_stopped()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_steps.up.sql", "-- stepwise:no-transaction\nCREATE TABLE step_a (id integer PRIMARY KEY);\nSELECT pg_sleep(3);\nCREATE TABLE step_b (id integer PRIMARY KEY);\n");

        ChildProcessResult result;
        await using (var up = pg.Start("up"))
        {
            await TerminateWhenRunningAsync(pg, up, "SELECT pg_sleep(3)");
            result = await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        PgScenario.AssertNoPassword(result, "up");
        Assert.NotEqual(0, result.ExitCode);
        var problem = Assert.Single(PgScenario.ProblemLines(result));
        output.WriteLine(problem);
        Assert.Contains("0001 steps", problem, StringComparison.Ordinal);
        Assert.Contains("statement 2", problem, StringComparison.Ordinal);
        Assert.Contains("connection", problem, StringComparison.OrdinalIgnoreCase);

        // statement 1 committed on its own and the journal says so; statement 3 never ran
        var row = Assert.Single(await pg.JournalAsync());
        Assert.NotEqual("applied", row.State);
        Assert.Equal(1, row.StatementsDone);
        Assert.True(await pg.TableExistsAsync("step_a"));
        Assert.False(await pg.TableExistsAsync("step_b"));

        var status = await pg.RunAsync("status");
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("failed", status.StandardOutput, StringComparison.Ordinal);

        if (row.State == "failed")
        {
            var repair = await pg.RunAsync("repair");
            Assert.True(repair.ExitCode == 0, PgScenario.Describe(repair));
        }

        var next = await pg.RunAsync("up");
        Assert.True(next.ExitCode == 0, PgScenario.Describe(next));
        Assert.Contains("resuming 0001 steps at statement 2", next.StandardError, StringComparison.Ordinal);
        Assert.True(await pg.TableExistsAsync("step_b"));
        var done = Assert.Single(await pg.JournalAsync());
        Assert.Equal("applied", done.State);
        Assert.Equal(3, done.StatementsDone);
    }
}
