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

    [Fact]
    public Task Every_row_gets_the_value_and_rows_outside_where_stay_untouched() => Every_row_gets_the_value_and_rows_outside_where_stay_untouched_core();

    [Fact]
    public Task Composite_primary_key_is_walked_in_key_order() => Composite_primary_key_is_walked_in_key_order_core();

    [Fact]
    public Task Table_without_a_key_is_a_usage_error() => Table_without_a_key_is_a_usage_error_core();

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

    [Fact]
    public Task Backfill_ends_while_rows_keep_being_inserted() => Backfill_ends_while_rows_keep_being_inserted_core();

    [Fact]
    public Task Application_row_lock_delays_but_does_not_block_the_backfill() => Application_row_lock_delays_but_does_not_block_the_backfill_core("200ms");
}
