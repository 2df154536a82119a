using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>A primary key for the key-type matrix: its column definitions, the key column names, and one SQL
/// expression per key column computing a distinct value from g = 1..rows.</summary>
public sealed record KeyShape(string Columns, string Key, string Values);

/// <summary>
/// Backfills whose checkpoints must round-trip every key type exactly (issue 11, items 2 and 3), whose name is
/// bound to its table, SET and WHERE (item 5), and which resume checkpoints written by the previous release.
/// Each engine's class supplies a fresh database and its key shapes; small tables and batches keep it fast.
/// </summary>
public abstract partial class BackfillKeyScenarios : IDisposable
{
    protected const string Password = "s3cret-pw";

    /// <summary>A run over a few hundred rows takes a second or two; a checkpoint that does not round-trip loops forever.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(40);

    protected string Dir { get; } = Directory.CreateTempSubdirectory("stepwise-backfill-keys-").FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh database; returns its URL for `stepwise` (with the password where the engine has one).</summary>
    protected abstract Task<string> NewDatabaseAsync(string test);

    /// <summary>A connection to the database of the last <see cref="NewDatabaseAsync"/>.</summary>
    protected abstract DbConnection Open();

    /// <summary>A subquery named s with one column g = 1..n.</summary>
    protected abstract string Series(int n);

    /// <summary>The checkpoint table exactly as the previous release created it.</summary>
    protected abstract string OldCheckpointTable { get; }

    protected async Task<ChildProcessResult> BackfillAsync(string url, params string[] args)
    {
        var result = await Stepwise.RunAsync(Dir, Timeout, ["backfill", "--database", url, .. args]);
        AssertNoPassword(result.StandardOutput + result.StandardError);
        return result;
    }

    protected static void AssertNoPassword(string output) =>
        Assert.False(output.Contains(Password, StringComparison.Ordinal), "the password appears in the output");

    protected static string Describe(ChildProcessResult r) => $"exit {r.ExitCode}\nstdout: {r.StandardOutput}\nstderr: {r.StandardError}";

    protected async Task ExecAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    protected async Task<long> LongAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? -1 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    protected async Task<string?> TextAsync(string sql)
    {
        await using var connection = Open();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    /// <summary>Table k keyed by <paramref name="shape"/>, with <paramref name="rows"/> rows and a counter at 0.</summary>
    protected async Task SeedKeysAsync(KeyShape shape, int rows)
    {
        await ExecAsync($"CREATE TABLE k ({shape.Columns}, n integer NOT NULL, counter integer NOT NULL DEFAULT 0, PRIMARY KEY ({shape.Key}))");
        await ExecAsync($"INSERT INTO k ({shape.Key}, n) SELECT {shape.Values}, g FROM {Series(rows)}");
        Assert.Equal(rows, await LongAsync("SELECT count(*) FROM k"));
    }

    /// <summary>Every row of k updated exactly once, in several batches, and the checkpoint says done with every row.</summary>
    protected async Task Key_round_trips_core(string test, KeyShape shape)
    {
        const int Rows = 300;
        var url = await NewDatabaseAsync(test);
        await SeedKeysAsync(shape, Rows);
        var r = await BackfillAsync(url, "--table", "k", "--set", "counter = counter + 1", "--name", "keys", "--batch-size", "37");
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.Equal(Rows, await LongAsync("SELECT count(*) FROM k WHERE counter = 1"));
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM k WHERE counter <> 1"));
        Assert.Equal(Rows, await LongAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'keys'"));
        Assert.Equal((Rows + 36) / 37, await LongAsync("SELECT batches FROM stepwise_backfills WHERE name = 'keys'"));
        Assert.Equal("done", await TextAsync("SELECT state FROM stepwise_backfills WHERE name = 'keys'"));

        var again = await BackfillAsync(url, "--table", "k", "--set", "counter = counter + 1", "--name", "keys", "--batch-size", "37");
        Assert.True(again.ExitCode == 0, Describe(again));
        Assert.Contains("already finished", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM k WHERE counter <> 1"));
    }

    /// <summary>
    /// SIGKILL at a few seeded random points, then the same command to the end: each resume starts from the
    /// checkpoint decoded back to the key's own type, so no row is skipped or updated twice. A kill point is a
    /// batch count, not a delay: a test host slowed by the suite's own load then kills later in batches only by
    /// its reading lag, never after the whole backfill (a delay-based kill once came after all 60 batches).
    /// </summary>
    protected async Task Killed_and_resumed_core(string test, KeyShape shape, int seed)
    {
        const int Rows = 1200; // 60 batches: three kills, each 1-6 batches into its run, leave most of them
        const int BatchSize = 20;
        const int Kills = 3;
        var url = await NewDatabaseAsync(test);
        await SeedKeysAsync(shape, Rows);
        string[] args = ["backfill", "--database", url, "--table", "k", "--set", "counter = counter + 1", "--name", "crashy", "--batch-size", $"{BatchSize}", "--sleep", "30ms", "--format", "json"];
        var random = new Random(seed);
        var done = new List<long>();
        for (var i = 0; i < Kills; i++)
        {
            var killAt = (done.Count == 0 ? 0 : done[^1] / BatchSize) + random.Next(1, 7); // at least one batch committed in this run
            await using var p = Stepwise.Start(Dir, args);
            await p.WaitForOutputAsync(output => BatchesReported(output) >= killAt, $"progress at batch {killAt}", TimeSpan.FromSeconds(20));
            p.Kill();
            var r = await p.WaitForExitAsync(TimeSpan.FromSeconds(10));
            AssertNoPassword(r.StandardOutput + r.StandardError);
            Assert.True(r.ExitCode == ChildProcessResult.KilledExitCode, "the backfill ended before it was killed: " + Describe(r));
            done.Add(await LongAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'crashy'"));
        }

        Assert.True(done[^1] < Rows, "the backfill finished before the last kill: the kills did not test resuming");
        Assert.True(done[0] > 0, "no batch committed before the first kill");
        Assert.Equal(done.Order(), done); // each run resumed forward from the previous checkpoint
        Assert.Equal(done[^1], await LongAsync("SELECT count(*) FROM k WHERE counter = 1")); // the checkpoint counts exactly the rows changed
        var final = await Stepwise.RunAsync(Dir, Timeout, args);
        Assert.True(final.ExitCode == 0, Describe(final));
        Assert.Equal(Rows, await LongAsync("SELECT count(*) FROM k WHERE counter = 1")); // none redone, none skipped
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM k WHERE counter <> 1"));
        Assert.Equal(Rows, await LongAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'crashy'"));
    }

    /// <summary>The highest <c>"batches":N</c> in a backfill's JSON progress lines so far (0 before the first).</summary>
    private static long BatchesReported(string output) =>
        BatchesField().Matches(output).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    [GeneratedRegex("\"event\":\"progress\".*?\"batches\":(\\d+)")]
    private static partial Regex BatchesField();

    private async Task SeedIntsAsync(int rows)
    {
        await ExecAsync("CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL, v integer, w integer)");
        await ExecAsync($"INSERT INTO t (id, n) SELECT g, g % 7 FROM {Series(rows)}");
    }

    /// <summary>Item 5: a finished backfill's name with another SET is refused (exit 2, naming SET), its SET never runs half-way.</summary>
    [Fact]
    public async Task Same_name_with_another_set_after_it_finished_is_refused()
    {
        var url = await NewDatabaseAsync(nameof(Same_name_with_another_set_after_it_finished_is_refused));
        await SeedIntsAsync(200);
        var first = await BackfillAsync(url, "--table", "t", "--set", "v = 1", "--name", "fill_v", "--batch-size", "50");
        Assert.True(first.ExitCode == 0, Describe(first));
        var second = await BackfillAsync(url, "--table", "t", "--set", "v = 2", "--name", "fill_v", "--batch-size", "50");
        Assert.True(second.ExitCode == 2, Describe(second));
        Assert.Contains("SET", second.StandardError, StringComparison.Ordinal);
        Assert.Contains("v = 1", second.StandardError, StringComparison.Ordinal);
        Assert.Contains("v = 2", second.StandardError, StringComparison.Ordinal);
        Assert.Equal(200, await LongAsync("SELECT count(*) FROM t WHERE v = 1"));

        var where = await BackfillAsync(url, "--table", "t", "--set", "v = 1", "--where", "n = 3", "--name", "fill_v", "--batch-size", "50");
        Assert.True(where.ExitCode == 2, Describe(where));
        Assert.Contains("WHERE", where.StandardError, StringComparison.Ordinal);

        var same = await BackfillAsync(url, "--table", "t", "--set", "v = 1", "--name", "fill_v", "--batch-size", "50");
        Assert.True(same.ExitCode == 0, Describe(same));
        Assert.Contains("already finished", same.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>Item 5: two runs at once under one name with different SETs: one is refused, the table is never mixed.</summary>
    [Fact]
    public async Task Same_name_with_another_set_at_the_same_time_never_mixes_the_table()
    {
        var url = await NewDatabaseAsync(nameof(Same_name_with_another_set_at_the_same_time_never_mixes_the_table));
        const int Rows = 2000;
        await SeedIntsAsync(Rows);
        await using var one = Stepwise.Start(Dir, "backfill", "--database", url, "--table", "t", "--set", "v = 1", "--name", "mixed", "--batch-size", "20", "--sleep", "5ms");
        await using var two = Stepwise.Start(Dir, "backfill", "--database", url, "--table", "t", "--set", "v = 2", "--name", "mixed", "--batch-size", "20", "--sleep", "5ms");
        var a = await one.WaitForExitAsync(Timeout);
        var b = await two.WaitForExitAsync(Timeout);
        AssertNoPassword(a.StandardOutput + a.StandardError + b.StandardOutput + b.StandardError);
        Assert.Equal([0, 2], new[] { a.ExitCode, b.ExitCode }.Order());
        var winner = a.ExitCode == 0 ? 1 : 2;
        Assert.Contains("SET", (a.ExitCode == 2 ? a : b).StandardError, StringComparison.Ordinal);
        Assert.Equal(Rows, await LongAsync($"SELECT count(*) FROM t WHERE v = {winner}"));
    }

    /// <summary>
    /// A checkpoint written by the previous release (the old table without the new columns, keys as a JSON array
    /// of strings) still resumes: the table is upgraded in place, the rows before the old checkpoint are not
    /// redone, the rows after its end key are not touched.
    /// </summary>
    [Fact]
    public async Task Checkpoint_of_the_previous_release_resumes()
    {
        var url = await NewDatabaseAsync(nameof(Checkpoint_of_the_previous_release_resumes));
        await ExecAsync("CREATE TABLE c (a integer NOT NULL, b varchar(20) NOT NULL, n integer NOT NULL, counter integer NOT NULL DEFAULT 0, PRIMARY KEY (a, b))");
        await ExecAsync($"INSERT INTO c (a, b, n) SELECT g % 4, {Concat("'k'", "g")}, g FROM {Series(400)}");
        // the old release stopped after (1, 'k9') of a run whose end key was (3, 'k7'); what it did is done
        await ExecAsync("UPDATE c SET counter = 1 WHERE a = 0 OR (a = 1 AND b <= 'k9')");
        var doneBefore = await LongAsync("SELECT count(*) FROM c WHERE counter = 1");
        await ExecAsync(OldCheckpointTable);
        await ExecAsync($"INSERT INTO stepwise_backfills (name, table_name, state, last_key, end_key, rows_done, batches) VALUES ('old', 'c', 'running', '[\"1\",\"k9\"]', '[\"3\",\"k7\"]', {doneBefore}, 3)");

        var r = await BackfillAsync(url, "--table", "c", "--set", "counter = counter + 1", "--name", "old", "--batch-size", "23");
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM c WHERE counter > 1"));
        var expected = await LongAsync("SELECT count(*) FROM c WHERE a < 3 OR (a = 3 AND b <= 'k7')");
        Assert.Equal(expected, await LongAsync("SELECT count(*) FROM c WHERE counter = 1"));
        Assert.Equal(expected, await LongAsync("SELECT rows_done FROM stepwise_backfills WHERE name = 'old'"));
        Assert.Equal("done", await TextAsync("SELECT state FROM stepwise_backfills WHERE name = 'old'"));
        Assert.Equal("counter = counter + 1", await TextAsync("SELECT set_list FROM stepwise_backfills WHERE name = 'old'"));
    }

    protected virtual string Concat(string a, string b) => $"{a} || CAST({b} AS varchar(20))";
}
