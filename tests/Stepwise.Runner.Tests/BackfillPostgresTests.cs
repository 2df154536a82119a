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
    public Task Table_without_a_key_is_a_usage_error() => Table_without_a_key_is_a_usage_error_core();

    [Fact]
    public Task Backfill_ends_while_rows_keep_being_inserted() => Backfill_ends_while_rows_keep_being_inserted_core();

    [Fact]
    public Task Application_row_lock_delays_but_does_not_block_the_backfill() => Application_row_lock_delays_but_does_not_block_the_backfill_core("200ms");
}
