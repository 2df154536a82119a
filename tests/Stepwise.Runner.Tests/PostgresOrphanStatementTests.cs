using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// After `kill -9` of `stepwise up`, the server goes on executing what it was sent (it notices the dead client
/// only when it next writes to it). The migration lock lives on the session that runs the statements, so the
/// next `up` waits for that session instead of running the same migration beside it.
/// </summary>
[Collection("postgres")]
public sealed class PostgresOrphanStatementTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const long LockKey = 7_359_282_710_163_947_631;

    [Fact]
    public async Task The_next_up_waits_for_the_killed_runs_statement_instead_of_overlapping_it()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        pg.Write("0002_slow.up.sql", "CREATE TABLE slow (id integer PRIMARY KEY);\nSELECT pg_sleep(3);\nINSERT INTO slow VALUES (1);\n");

        await using (var up = pg.Start("up"))
        {
            await pg.WaitForStepwiseStatementAsync(up, "SELECT pg_sleep(3)");
            up.Kill();
            Assert.Equal(ChildProcessResult.KilledExitCode, (await up.WaitForExitAsync(TimeSpan.FromSeconds(10))).ExitCode);
        }

        // the killed run's session is still there, sleeping, with the whole migration queued behind it
        Assert.Equal(1, await pg.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = '{pg.Database}' AND application_name = 'stepwise'"));

        var next = await pg.RunAsync("up");
        output.WriteLine(PgScenario.Describe(next));
        PgScenario.AssertNoPassword(next, "up");
        Assert.True(next.ExitCode == 0, PgScenario.Describe(next));
        var journal = await pg.JournalAsync();
        Assert.Equal(["0001", "0002"], journal.Select(j => j.Version));
        Assert.All(journal, j => Assert.Equal("applied", j.State));
        Assert.Equal(1, await pg.ScalarAsync<long>("SELECT count(*) FROM slow")); // applied once
    }

    [Fact]
    public async Task When_the_lock_stays_taken_the_message_names_the_session_that_holds_it()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        // another deploy, as the same role
        await using var holder = new Npgsql.NpgsqlConnection(pg.Server.PasswordConnectionStringFor(pg.Database) + ";Pooling=false");
        await holder.OpenAsync();
        await using (var cmd = holder.CreateCommand())
        {
            cmd.CommandText = $"SET application_name = 'another-deploy'; SELECT pg_advisory_lock({LockKey})";
            await cmd.ExecuteNonQueryAsync();
        }

        var up = await pg.RunAsync("up", "--lock-wait", "1s");
        output.WriteLine(PgScenario.Describe(up));
        PgScenario.AssertNoPassword(up, "up");
        Assert.Equal(1, up.ExitCode);
        var problem = Assert.Single(PgScenario.ProblemLines(up));
        Assert.Contains("holds the migration lock", problem, StringComparison.Ordinal);
        Assert.Contains("another-deploy", problem, StringComparison.Ordinal);
        Assert.Contains("pg_advisory_lock", problem, StringComparison.Ordinal);
        Assert.False(await pg.TableExistsAsync("first"));
    }
}
