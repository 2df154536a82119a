using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>Backfills of tables without a primary key: a unique index on NOT NULL columns is walked instead (the
/// narrowest one); PostgreSQL walks a table with no such key in ctid ranges.</summary>
public abstract partial class BackfillScenarios
{
    /// <summary>The table has no primary key, a nullable unique column (unusable), a wide unique pair and a narrow
    /// unique NOT NULL column. The backfill is killed after its first batches and resumed: every row changed exactly once.</summary>
    [Fact]
    public async Task Table_without_a_primary_key_is_walked_on_a_unique_not_null_key_and_resumes()
    {
        var url = await NewDatabaseAsync(nameof(Table_without_a_primary_key_is_walked_on_a_unique_not_null_key_and_resumes));
        const int Rows = 4000;
        await ExecAsync("CREATE TABLE u (maybe integer, code varchar(20) NOT NULL, n integer NOT NULL, v integer, counter integer NOT NULL DEFAULT 0)");
        await ExecAsync("CREATE UNIQUE INDEX u_maybe ON u (maybe)");
        await ExecAsync("CREATE UNIQUE INDEX u_pair ON u (n, code)");
        await ExecAsync("CREATE UNIQUE INDEX u_code ON u (code)");
        await ExecAsync($"INSERT INTO u (code, n) SELECT {Concat("'k'", "g")}, g FROM {Series(Rows)}");
        string[] args = ["backfill", "--database", url, "--table", "u", "--set", "v = n * 2, counter = counter + 1", "--name", "uk", "--batch-size", "100", "--sleep", "20ms", "--format", "json"];
        await using (var p = Stepwise.Start(Dir, args))
        {
            await p.WaitForOutputAsync("\"progress\"", TimeSpan.FromSeconds(30));
            await Task.Delay(150);
            p.Kill();
            var killed = await p.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.True(killed.ExitCode == ChildProcessResult.KilledExitCode, $"the backfill ended before the kill:\n{killed.StandardError}");
        }

        var stopped = await LongAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'uk'");
        Assert.InRange(stopped, 1, Rows - 1);
        var final = await Stepwise.RunAsync(Dir, TimeSpan.FromSeconds(50), args);
        AssertNoPassword(final.StandardOutput + final.StandardError);
        Assert.True(final.ExitCode == 0, final.StandardError);
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM u WHERE v IS NULL OR v <> n * 2"));
        Assert.Equal(Rows, await LongAsync("SELECT count(*) FROM u WHERE counter = 1")); // none redone, none skipped
    }
}
