using System.Globalization;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

[Collection("postgres")]
public sealed class PostgresExactlyOnceTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Eight_concurrent_up_processes_apply_every_migration_exactly_once()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_applied_log.up.sql", "CREATE TABLE applied_log (id serial PRIMARY KEY, note text NOT NULL, at timestamptz NOT NULL DEFAULT now());\n");
        for (var i = 2; i <= 10; i++)
        {
            var version = i.ToString("0000", CultureInfo.InvariantCulture);
            pg.Write(i == 6 ? $"{version}_log_a_row.up.sql" : $"{version}_table_{i}.up.sql", i == 6
                ? "INSERT INTO applied_log (note) VALUES ('0006 ran');\nSELECT pg_sleep(0.1);\n"
                : $"CREATE TABLE t{i} (id bigint PRIMARY KEY, v text);\nSELECT pg_sleep(0.05);\n");
        }

        var processes = Enumerable.Range(0, 8).Select(_ => pg.Start("up")).ToList();
        try
        {
            var results = await Task.WhenAll(processes.Select(p => p.WaitForExitAsync(TimeSpan.FromSeconds(50))));
            for (var i = 0; i < results.Length; i++)
            {
                PgScenario.AssertNoPassword(results[i], "up");
                Assert.True(results[i].ExitCode == 0, $"process {i}: {PgScenario.Describe(results[i])}");
            }

            // exactly one process applied the migrations; the others found nothing left to do
            Assert.Equal(1, results.Count(r => r.StandardOutput.Contains("applied 10 migration(s)", StringComparison.Ordinal)));
            Assert.Equal(7, results.Count(r => r.StandardOutput.Contains("nothing to apply", StringComparison.Ordinal)));
        }
        finally
        {
            foreach (var p in processes)
            {
                await p.DisposeAsync();
            }
        }

        Assert.Equal(1L, await pg.ScalarAsync<long>("SELECT count(*) FROM applied_log"));
        var journal = await pg.JournalAsync();
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString("0000", CultureInfo.InvariantCulture)), journal.Select(j => j.Version));
        Assert.All(journal, j => Assert.Equal("applied", j.State));
        Assert.Equal(0L, await pg.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"));
    }
}
