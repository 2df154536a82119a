using System.Data.Common;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

[Collection("postgres")]
public sealed class BackfillPostgresTests(PostgresFixture fixture) : BackfillScenarios
{
    private string _connectionString = string.Empty;

    protected override async Task<string> NewDatabaseAsync(string test)
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database!;
        _connectionString = fixture.Server.PasswordConnectionStringFor(database);
        return fixture.Server.PasswordUrlFor(database);
    }

    protected override DbConnection Open() => new NpgsqlConnection(_connectionString);

    protected override string Series(int n) => $"generate_series(1, {n}) AS s(g)";

    /// <summary>
    /// <c>--nice-ratio R</c> pauses R × each batch's duration after it: six batches of at least 50 ms each (an
    /// uncorrelated pg_sleep runs once per UPDATE) with ratio 5 cannot take less than 6 × 50 ms plus 5 pauses (none
    /// after the last batch) of 5 × 50 ms; without the pauses they take about a fifth of that. A ratio outside 0..100 is a usage error and changes nothing.
    /// </summary>
    [Fact]
    public async Task Nice_ratio_pauses_after_each_batch_for_a_multiple_of_its_duration()
    {
        var url = await NewDatabaseAsync(nameof(Nice_ratio_pauses_after_each_batch_for_a_multiple_of_its_duration));
        await ExecAsync("CREATE TABLE paced (id integer PRIMARY KEY, v integer)");
        await ExecAsync($"INSERT INTO paced (id) SELECT g FROM {Series(300)}");
        string[] args = ["backfill", "--database", url, "--table", "paced", "--set", "v = 1 + (SELECT 0 FROM pg_sleep(0.05))", "--batch-size", "50", "--name", "paced"];

        foreach (var bad in new[] { "101", "-1", "gentle" })
        {
            var refused = await Stepwise.RunAsync(Dir, TimeSpan.FromSeconds(50), [.. args, "--nice-ratio", bad]);
            Assert.True(refused.ExitCode == 2, $"--nice-ratio {bad}: exit {refused.ExitCode}\n{refused.StandardError}");
            Assert.Contains("--nice-ratio", refused.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", refused.StandardError, StringComparison.Ordinal);
        }

        Assert.Equal(0, await LongAsync("SELECT count(*) FROM paced WHERE v IS NOT NULL"));

        var r = await Stepwise.RunAsync(Dir, TimeSpan.FromSeconds(50), [.. args, "--nice-ratio", "5"]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Equal(300, await LongAsync("SELECT count(*) FROM paced WHERE v = 1"));
        Assert.Equal(6, await LongAsync("SELECT batches FROM stepwise_backfills WHERE name = 'paced'"));
        Assert.True(r.Elapsed >= TimeSpan.FromMilliseconds(((6 * 50) + (5 * 5 * 50)) * 0.95), $"6 batches of ≥ 50 ms with --nice-ratio 5 took only {r.Elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>No primary key and no unique NOT NULL key: batches over ctid (block) ranges. Another connection inserts
    /// rows (as the new release writes them) and updates old rows (rows move to new blocks) without pause; the backfill is
    /// killed after its first batches and resumed; every row ends right and the run ends.</summary>
    [Fact]
    public async Task Table_without_any_key_is_walked_in_ctid_ranges_while_rows_keep_being_written()
    {
        var url = await NewDatabaseAsync(nameof(Table_without_any_key_is_walked_in_ctid_ranges_while_rows_keep_being_written));
        const int Rows = 30_000;
        await ExecAsync("CREATE TABLE nk (n integer NOT NULL, v integer, pad text)");
        await ExecAsync($"INSERT INTO nk (n, pad) SELECT g, repeat('x', 40) FROM {Series(Rows)}");
        await ExecAsync("ANALYZE nk");
        using var stop = new CancellationTokenSource();
        long inserted = 0, updated = 0;
        var writer = Task.Run(async () =>
        {
            await using var connection = Open();
            await connection.OpenAsync();
            var random = new Random(36);
            while (!stop.IsCancellationRequested)
            {
                await using var cmd = connection.CreateCommand();
                var n = random.Next(1, Rows + 1);
                cmd.CommandText = random.Next(3) == 0
                    ? $"UPDATE nk SET pad = pad || 'y' WHERE n = {n}"
                    : $"INSERT INTO nk (n, v, pad) VALUES ({n + Rows}, {(n + Rows) * 2}, 'new')";
                if (cmd.CommandText.StartsWith("UPDATE", StringComparison.Ordinal))
                {
                    updated += await cmd.ExecuteNonQueryAsync();
                }
                else
                {
                    await cmd.ExecuteNonQueryAsync();
                    inserted++;
                }
            }
        });
        string[] args = ["backfill", "--database", url, "--table", "nk", "--set", "v = n * 2", "--where", "v IS DISTINCT FROM n * 2", "--name", "ck", "--batch-size", "500", "--sleep", "20ms", "--format", "json"];
        await using (var p = Stepwise.Start(Dir, args))
        {
            await p.WaitForOutputAsync("\"progress\"", TimeSpan.FromSeconds(30));
            await Task.Delay(100);
            p.Kill();
            var killed = await p.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.True(killed.ExitCode == ChildProcessResult.KilledExitCode, $"the backfill ended before the kill:\n{killed.StandardError}");
        }

        Assert.InRange(await LongAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'ck'"), 1, Rows - 1);
        var final = await Stepwise.RunAsync(Dir, TimeSpan.FromSeconds(50), args);
        await stop.CancelAsync();
        await writer;
        AssertNoPassword(final.StandardOutput + final.StandardError);
        Assert.True(final.ExitCode == 0, final.StandardError);
        Assert.Contains("ctid", final.StandardOutput + final.StandardError, StringComparison.Ordinal);
        Assert.True(inserted > 50 && updated > 20, $"the writer only inserted {inserted} and updated {updated} rows");
        Assert.Equal(Rows + inserted, await LongAsync("SELECT count(*) FROM nk"));
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM nk WHERE v IS DISTINCT FROM n * 2"));
    }

    [Fact]
    public Task Backfill_ends_while_rows_keep_being_inserted() => Backfill_ends_while_rows_keep_being_inserted_core();

    [Fact]
    public Task Application_row_lock_delays_but_does_not_block_the_backfill() => Application_row_lock_delays_but_does_not_block_the_backfill_core("200ms");
}
