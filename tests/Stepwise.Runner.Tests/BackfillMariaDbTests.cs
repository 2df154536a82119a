using System.Data.Common;
using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

[Collection("mariadb")]
public sealed class BackfillMariaDbTests(MariaDbFixture fixture) : BackfillScenarios
{
    private string _connectionString = string.Empty;

    protected override async Task<string> NewDatabaseAsync(string test)
    {
        var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database;
        _connectionString = fixture.Server.PasswordConnectionStringFor(database);
        return fixture.Server.PasswordUrlFor(database);
    }

    protected override DbConnection Open() => new MySqlConnection(_connectionString);

    protected override string Series(int n) => $"(SELECT seq AS g FROM seq_1_to_{n}) AS s";

    protected override string AutoIdColumn => "id bigint AUTO_INCREMENT PRIMARY KEY";

    protected override string Concat(string a, string b) => $"CONCAT({a}, {b})";

    [Fact]
    public Task Table_without_a_key_is_a_usage_error() => Table_without_a_key_is_a_usage_error_core();

    [Fact]
    public Task Backfill_ends_while_rows_keep_being_inserted() => Backfill_ends_while_rows_keep_being_inserted_core();

    // InnoDB's lock wait timeout has a 1 s floor
    [Fact]
    public Task Application_row_lock_delays_but_does_not_block_the_backfill() => Application_row_lock_delays_but_does_not_block_the_backfill_core("1s");
}
