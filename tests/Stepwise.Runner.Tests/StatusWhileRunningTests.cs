using System.Text.Json;
using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>Issue 11: `status` while another `up` applies a statement-by-statement migration says `running`
/// (exit 0, naming the lock holder), not `failed`; and a connection lost mid-`up` is exit 1 (rerun `up`).</summary>
internal static class RunningStatus
{
    /// <summary>`status` (text and JSON) while the up is inside its sleep: running, exit 0, the holder named.</summary>
    public static async Task AssertRunningAsync(Func<string[], Task<ChildProcessResult>> status, string version)
    {
        var text = await status(["status"]);
        Assert.True(text.ExitCode == 0, LayoutFolder.Show(text));
        var row = text.StandardOutput.Split('\n').Single(l => l.StartsWith(version, StringComparison.Ordinal) && !l.Contains("is being applied", StringComparison.Ordinal));
        Assert.Contains("running", row, StringComparison.Ordinal);
        Assert.Contains("is being applied by another stepwise run", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("lock held by", text.StandardOutput, StringComparison.Ordinal);

        var json = await status(["status", "--format", "json"]);
        Assert.True(json.ExitCode == 0, LayoutFolder.Show(json));
        using var doc = JsonDocument.Parse(json.StandardOutput);
        var state = doc.RootElement.GetProperty("migrations").EnumerateArray().Single(m => m.GetProperty("version").GetString() == version).GetProperty("state").GetString();
        Assert.Equal("running", state);
    }
}

[Collection("mariadb")]
public sealed class MariaDbStatusWhileRunningTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-maria-running-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Status_shows_a_migration_another_up_is_applying_as_running()
    {
        var cs = await fixture.CreateDatabaseAsync(nameof(Status_shows_a_migration_another_up_is_applying_as_running));
        var url = fixture.Server.UrlFor(new MySqlConnectionStringBuilder(cs).Database);
        _folder.Write("0001_slow.up.sql", "CREATE TABLE k1 (id INT PRIMARY KEY);\nSELECT SLEEP(40);\nCREATE TABLE k2 (id INT PRIMARY KEY);\n");

        await using var up = _folder.Start("up", "--database", url);
        await up.WaitForOutputAsync("[2/3]", TimeSpan.FromSeconds(30)); // statement 1 journaled, the sleep under way
        await RunningStatus.AssertRunningAsync(args => _folder.RunAsync([.. args, "--database", url]), "0001");
        var done = await up.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(done.ExitCode == 0, LayoutFolder.Show(done));

        var after = await _folder.RunAsync("status", "--database", url);
        Assert.True(after.ExitCode == 0, LayoutFolder.Show(after));
        Assert.Contains("applied", after.StandardOutput, StringComparison.Ordinal);
    }
}

[Collection("postgres")]
public sealed class PostgresStatusWhileRunningTests(PostgresFixture fixture)
{
    private const long LockKey = 7_359_282_710_163_947_631; // PostgresEngine's advisory lock key

    [Fact]
    public async Task Status_shows_a_migration_another_up_is_applying_as_running()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_steps.up.sql", "-- stepwise:no-transaction\nCREATE TABLE step_a (id integer PRIMARY KEY);\nSELECT pg_sleep(40);\nCREATE TABLE step_b (id integer PRIMARY KEY);\n");

        await using var up = pg.Start("up");
        await pg.WaitForStepwiseStatementAsync(up, "SELECT pg_sleep(40)");
        await RunningStatus.AssertRunningAsync(args => pg.RunAsync(args), "0001");
        var done = await up.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(done.ExitCode == 0, PgScenario.Describe(done));
        Assert.True(await pg.TableExistsAsync("step_b"));
    }

    [Fact]
    public async Task A_connection_lost_during_up_is_exit_1_and_the_next_up_applies()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");

        // another runner holds the migration lock: stepwise waits, polling; its session is then terminated
        await using var holder = await pg.OpenAsync();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        ChildProcessResult result;
        await using (var up = pg.Start("up"))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (await pg.ScalarAsync<long>($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{pg.Database}' AND application_name = 'stepwise' AND query LIKE 'SELECT pg_try_advisory_lock%'") == 0)
            {
                Assert.False(up.HasExited, "up ended before its session was seen:\n" + up.StandardError);
                Assert.True(DateTime.UtcNow < deadline, "stepwise never polled for the migration lock");
                await Task.Delay(25);
            }

            result = await up.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        PgScenario.AssertNoPassword(result, "up");
        Assert.True(result.ExitCode == 1, PgScenario.Describe(result));
        var problem = Assert.Single(PgScenario.ProblemLines(result));
        Assert.Contains("connection", problem, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("run the same command again", problem, StringComparison.Ordinal);

        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({LockKey})", holder))
        {
            await release.ExecuteNonQueryAsync();
        }

        var next = await pg.RunAsync("up");
        Assert.True(next.ExitCode == 0, PgScenario.Describe(next));
        Assert.True(await pg.TableExistsAsync("first"));
    }
}
