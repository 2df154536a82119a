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

    private async Task<ChildProcessResult> UpAsync(string url, params string[] args)
    {
        var r = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), ["up", "--database", url, .. args]);
        Assert.DoesNotContain("s3cret-pw", r.StandardOutput + r.StandardError, StringComparison.Ordinal);
        return r;
    }

    [Fact]
    public async Task Dry_run_describes_the_backfill_and_changes_nothing()
    {
        var (url, cs) = await SetUpAsync(nameof(Dry_run_describes_the_backfill_and_changes_nothing), 3000);
        await using (var c = new NpgsqlConnection(cs))
        {
            await c.OpenAsync();
            await using var analyze = new NpgsqlCommand("ANALYZE t", c);
            await analyze.ExecuteNonQueryAsync();
        }

        var r = await UpAsync(url, "--dry-run");
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        Assert.Contains("would apply 0003 backfill_v: backfill of t (SET v = n * 2, counter = counter + 1 WHERE n <> 3) in keyset batches of 100 rows on (id), about 3,000 rows", r.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM t WHERE counter <> 0"));
        Assert.Equal(-1, await LongAsync(cs, "SELECT count(*) FROM stepwise_backfills"));
    }

    [Fact]
    public async Task Down_undoes_a_backfill_and_a_later_up_runs_it_again()
    {
        var (url, cs) = await SetUpAsync(nameof(Down_undoes_a_backfill_and_a_later_up_runs_it_again), 2000);
        var migrations = Path.Combine(_dir, "migrations");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0003_backfill_v.down.sql"), "UPDATE t SET v = NULL WHERE v IS NOT NULL;\n");
        var up = await UpAsync(url);
        Assert.True(up.ExitCode == 0, up.StandardOutput + up.StandardError);
        Assert.Equal(1, await LongAsync(cs, "SELECT max(counter) FROM t"));

        var down = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "down", "--database", url);
        Assert.True(down.ExitCode == 0, down.StandardOutput + down.StandardError);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM t WHERE v IS NOT NULL"));
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM stepwise_migrations WHERE version = '0003'"));
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM stepwise_backfills WHERE name = 'fill_v'")); // forgotten

        // the backfill runs again rather than being reported as finished
        var again = await UpAsync(url);
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM (SELECT id, n * 2 FROM t WHERE n <> 3 EXCEPT SELECT id, v FROM t) d"));
        Assert.Equal(2, await LongAsync(cs, "SELECT max(counter) FROM t"));
    }

    [Fact]
    public async Task A_down_file_that_is_a_backfill_runs_in_batches_too()
    {
        var (url, cs) = await SetUpAsync(nameof(A_down_file_that_is_a_backfill_runs_in_batches_too), 2000);
        var migrations = Path.Combine(_dir, "migrations");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0003_backfill_v.down.sql"), "-- stepwise:backfill batch-size=150\nUPDATE t SET v = NULL, counter = counter + 10 WHERE n <> 3;\n");
        Assert.Equal(0, (await UpAsync(url)).ExitCode);

        var plan = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "down", "--database", url, "--dry-run");
        Assert.True(plan.ExitCode == 0, plan.StandardOutput + plan.StandardError);
        Assert.Contains("would roll back 0003 backfill_v: backfill of t (SET v = NULL, counter = counter + 10 WHERE n <> 3) in keyset batches of 150 rows", plan.StandardOutput, StringComparison.Ordinal);

        var down = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(50), "down", "--database", url, "--format", "json");
        Assert.True(down.ExitCode == 0, down.StandardOutput + down.StandardError);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM t WHERE v IS NOT NULL"));
        Assert.Equal(11, await LongAsync(cs, "SELECT max(counter) FROM t")); // once up, once down: no batch twice
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM stepwise_backfills")); // both checkpoints forgotten
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM stepwise_migrations WHERE version = '0003'"));
    }

    [Fact]
    public async Task A_malformed_backfill_file_is_refused_before_anything_runs()
    {
        var (url, cs) = await SetUpAsync(nameof(A_malformed_backfill_file_is_refused_before_anything_runs), 500);
        var file = Path.Combine(_dir, "migrations", "0003_backfill_v.up.sql");
        await File.WriteAllTextAsync(file, "-- stepwise:backfill batch-size=100\nUPDATE t SET v = n * 2;\nUPDATE t SET counter = 1;\n");
        var refused = await UpAsync(url);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("invalid-backfill", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("exactly one UPDATE", refused.StandardOutput, StringComparison.Ordinal);

        // --allow-unsafe skips the lint gate, not the runner's own check: still nothing changes
        var forced = await UpAsync(url, "--allow-unsafe");
        Assert.Equal(1, forced.ExitCode);
        Assert.Contains("exactly one UPDATE", forced.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, await LongAsync(cs, "SELECT count(*) FROM t WHERE v IS NOT NULL OR counter <> 0"));
    }
}
