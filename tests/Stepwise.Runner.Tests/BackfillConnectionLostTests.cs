using System.Globalization;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>Issue 11, item 6: the backfill's data connection terminated by the server in the middle of a batch.</summary>
[Collection("postgres")]
public sealed class BackfillConnectionLostTests(PostgresFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-backfill-lost-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Terminated_data_connection_says_so_exits_2_and_the_same_command_finishes_every_row_once()
    {
        const int Rows = 1000;
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(nameof(BackfillConnectionLostTests))).Database!;
        var url = fixture.Server.PasswordUrlFor(database);
        await fixture.Server.ExecuteAsync("CREATE TABLE t (id integer PRIMARY KEY, counter integer NOT NULL DEFAULT 0); GRANT ALL ON t TO stepwise", database);
        await fixture.Server.ExecuteAsync($"INSERT INTO t (id) SELECT generate_series(1, {Rows})", database);

        // each UPDATE sleeps 50 ms once (an uncorrelated subquery), so a batch is seen running
        string[] args = ["backfill", "--database", url, "--table", "t", "--set", "counter = counter + 1 + (SELECT 0 FROM pg_sleep(0.05))", "--name", "lost", "--batch-size", "25"];
        ChildProcessResult result;
        await using (var p = Stepwise.Start(_dir, args))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                Assert.False(p.HasExited, "the backfill ended before its connection was terminated:\n" + p.StandardError);
                Assert.True(DateTime.UtcNow < deadline, "no batch of the backfill was seen running");
                if (await RowsDoneAsync(database) >= 200 && Convert.ToInt64(
                    await fixture.Server.ScalarAsync(
                        $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{database}' AND application_name = 'stepwise' AND state = 'active' AND query LIKE 'UPDATE%'",
                        database),
                    CultureInfo.InvariantCulture) > 0)
                {
                    break;
                }

                await Task.Delay(10);
            }

            result = await p.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var output = result.StandardOutput + result.StandardError;
        Assert.DoesNotContain(PostgresServer.Password, output, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {output}");
        Assert.Contains("connection", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("lost", result.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("run the same command again", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        // the batch in flight rolled back with its checkpoint: the rows changed are exactly the checkpoint's
        var done = await RowsDoneAsync(database);
        Assert.InRange(done, 200, Rows - 1);
        Assert.Equal(done, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM t WHERE counter = 1", database), CultureInfo.InvariantCulture));

        var rest = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(60), args);
        Assert.True(rest.ExitCode == 0, rest.StandardOutput + rest.StandardError);
        Assert.Equal((long)Rows, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM t WHERE counter = 1", database), CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM t WHERE counter <> 1", database), CultureInfo.InvariantCulture));
    }

    private async Task<long> RowsDoneAsync(string database)
    {
        try
        {
            return Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'lost'", database) ?? -1L, CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState == "42P01")
        {
            return -1; // the checkpoint table is not there yet
        }
    }
}
