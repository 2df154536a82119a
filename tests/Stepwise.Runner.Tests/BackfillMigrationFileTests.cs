using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>A migration file whose first line is `-- stepwise:backfill` is run by `up` as a resumable backfill.</summary>
[Collection("postgres")]
public sealed class BackfillMigrationFileTests(PostgresFixture fixture) : IDisposable
{
    private const string BackfillFile = "-- stepwise:backfill batch-size=100 sleep=20ms name=fill_v\nUPDATE t SET v = n * 2, counter = counter + 1 WHERE n <> 3;\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-backfill-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<(string Url, string ConnectionString)> SetUpAsync(string test, int rows)
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database!;
        var migrations = Path.Combine(_dir, "migrations");
        Directory.CreateDirectory(migrations);
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_create.up.sql"), "CREATE TABLE t (id bigint PRIMARY KEY, n integer NOT NULL, v integer, counter integer NOT NULL DEFAULT 0);\n");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0003_backfill_v.up.sql"), BackfillFile);
        var url = fixture.Server.PasswordUrlFor(database);
        var create = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "up", "--database", url, "--to", "0001");
        Assert.True(create.ExitCode == 0, create.StandardOutput + create.StandardError);
        var cs = fixture.Server.PasswordConnectionStringFor(database);
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"INSERT INTO t (id, n) SELECT g, g % 7 FROM generate_series(1, {rows}) g", c);
        await cmd.ExecuteNonQueryAsync();
        return (url, cs);
    }

    private static async Task<long> LongAsync(string connectionString, string sql)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        try
        {
            return Convert.ToInt64(await cmd.ExecuteScalarAsync() ?? -1L, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (PostgresException ex) when (ex.SqlState == "42P01")
        {
            return -1; // the checkpoint table does not exist yet
        }
    }

    [Fact]
    public async Task Up_runs_a_backfill_file_in_batches_and_resumes_it_after_kill()
    {
        var (url, cs) = await SetUpAsync(nameof(Up_runs_a_backfill_file_in_batches_and_resumes_it_after_kill), 20_000);
        await using (var p = Stepwise.Start(_dir, "up", "--database", url))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (await LongAsync(cs, "SELECT rows_done FROM stepwise_backfills WHERE name = 'fill_v'") <= 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            p.Kill();
            var killed = await p.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(ChildProcessResult.KilledExitCode, killed.ExitCode);
        }

        var partial = await LongAsync(cs, "SELECT rows_done FROM stepwise_backfills WHERE name = 'fill_v'");
        Assert.InRange(partial, 1, 19_999);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM stepwise_migrations WHERE version = '0003' AND state = 'applied'"));

        var resumed = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "up", "--database", url);
        Assert.True(resumed.ExitCode == 0, resumed.StandardOutput + resumed.StandardError);
        Assert.DoesNotContain("s3cret-pw", resumed.StandardOutput + resumed.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM (SELECT id, n * 2 FROM t WHERE n <> 3 EXCEPT SELECT id, v FROM t) d"));
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM t WHERE n = 3 AND (v IS NOT NULL OR counter <> 0)"));
        Assert.Equal(1, await LongAsync(cs, "SELECT max(counter) FROM t")); // resumed from the checkpoint: nothing redone
        Assert.Equal(1, await LongAsync(cs, "SELECT count(*) FROM stepwise_migrations WHERE version = '0003' AND state = 'applied'"));

        var again = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "up", "--database", url);
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Equal(1, await LongAsync(cs, "SELECT max(counter) FROM t"));
    }

    [Fact]
    public async Task Linter_is_silent_about_the_update_of_a_backfill_file_only()
    {
        var migrations = Path.Combine(_dir, "migrations");
        Directory.CreateDirectory(migrations);
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_create.up.sql"), "CREATE TABLE t (id bigint PRIMARY KEY, n integer NOT NULL, v integer, counter integer NOT NULL DEFAULT 0);\n");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0003_backfill_v.up.sql"), BackfillFile);
        var quiet = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "lint", migrations);
        Assert.DoesNotContain("unbatched-data-change", quiet.StandardOutput + quiet.StandardError, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(migrations, "0003_backfill_v.up.sql"), BackfillFile.Replace("-- stepwise:backfill", "-- plain", StringComparison.Ordinal));
        var loud = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "lint", migrations);
        Assert.Contains("unbatched-data-change", loud.StandardOutput + loud.StandardError, StringComparison.Ordinal);
    }
}
