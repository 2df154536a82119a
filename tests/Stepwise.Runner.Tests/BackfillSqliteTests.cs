using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Stepwise.Runner.Tests;

public sealed class BackfillSqliteTests : BackfillScenarios
{
    private string _path = string.Empty;

    protected override Task<string> NewDatabaseAsync(string test)
    {
        _path = Path.Combine(Dir, test + ".db");
        return Task.FromResult("sqlite:" + _path);
    }

    protected override DbConnection Open() => new SqliteConnection($"Data Source={_path};Pooling=False");

    protected override string Series(int n) => $"(WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < {n}) SELECT g FROM r) AS s";

    [Fact]
    public Task Every_row_gets_the_value_and_rows_outside_where_stay_untouched() => Every_row_gets_the_value_and_rows_outside_where_stay_untouched_core();

    [Fact]
    public Task Composite_primary_key_is_walked_in_key_order() => Composite_primary_key_is_walked_in_key_order_core();

    [Fact]
    public Task Finished_backfill_is_not_run_again() => Finished_backfill_is_not_run_again_core();

    [Fact]
    public Task Killed_ten_times_then_resumed_updates_every_row_exactly_once() => Killed_ten_times_then_resumed_updates_every_row_exactly_once_core();

    [Fact]
    public Task Ctrl_c_stops_after_the_current_batch_and_the_same_command_resumes() => Ctrl_c_stops_after_the_current_batch_and_the_same_command_resumes_core();

    [Fact]
    public Task Two_runs_with_the_same_name_change_every_row_once() => Two_runs_with_the_same_name_change_every_row_once_core();

    [Fact]
    public Task Backfills_started_together_on_a_fresh_database_all_finish() => Backfills_started_together_on_a_fresh_database_all_finish_core();

    [Fact]
    public Task Json_progress_events_are_json_lines() => Json_progress_events_are_json_lines_core();

    /// <summary>SQLite has no key-less tables: every table without INTEGER PRIMARY KEY still has a rowid to walk.</summary>
    [Fact]
    public async Task Table_without_a_key_is_walked_by_rowid()
    {
        var url = await NewDatabaseAsync(nameof(Table_without_a_key_is_walked_by_rowid));
        await ExecAsync("CREATE TABLE nokey (n integer, v integer)");
        await ExecAsync($"INSERT INTO nokey (n) SELECT g FROM {Series(2500)}");
        var r = await BackfillAsync(url, "--table", "nokey", "--set", "v = n * 2", "--batch-size", "300");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM nokey WHERE v IS NOT n * 2"));
    }
}
