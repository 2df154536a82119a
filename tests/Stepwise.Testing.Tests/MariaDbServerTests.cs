using MySqlConnector;

namespace Stepwise.Testing.Tests;

[Collection("mariadb")]
public sealed class MariaDbServerTests(MariaDbFixture fixture)
{
    private MariaDbServer Server => fixture.Server;

    [Fact]
    public async Task Server_is_MariaDB()
    {
        await using var connection = new MySqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT version()", connection);
        var version = (string?)await command.ExecuteScalarAsync();

        Assert.Contains("MariaDB", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_listens_on_loopback_only_with_utf8mb4()
    {
        Assert.Equal("127.0.0.1", await Server.ScalarAsync("SELECT @@bind_address"));
        Assert.Equal(Server.Port, Convert.ToInt32(await Server.ScalarAsync("SELECT @@port"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("utf8mb4", await Server.ScalarAsync("SELECT @@character_set_server"));
    }

    [Fact]
    public async Task Databases_are_isolated_from_each_other()
    {
        var first = await fixture.CreateDatabaseAsync();
        var second = await fixture.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        await using (var connection = new MySqlConnection(first))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand("CREATE TABLE widgets (id int); INSERT INTO widgets VALUES (1), (2)", connection);
            await command.ExecuteNonQueryAsync();
        }

        var firstName = new MySqlConnectionStringBuilder(first).Database;
        var secondName = new MySqlConnectionStringBuilder(second).Database;
        Assert.Equal(2L, await Server.ScalarAsync("SELECT count(*) FROM widgets", firstName));
        Assert.Equal(0L, await Server.ScalarAsync(
            $"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{secondName}' AND table_name = 'widgets'"));
    }

    [Fact]
    public async Task Password_user_logs_in_and_may_use_created_databases_only()
    {
        var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync()).Database;
        var other = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync()).Database;

        await using var connection = new MySqlConnection(Server.PasswordConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = new MySqlCommand("CREATE TABLE owned (id int); SELECT current_user()", connection);
        Assert.Equal("stepwise@127.0.0.1", await command.ExecuteScalarAsync());

        // the grant covers the databases made by CreateDatabaseAsync, not the server
        await using var forbidden = new MySqlCommand("CREATE DATABASE not_allowed", connection);
        var error = await Assert.ThrowsAsync<MySqlException>(() => forbidden.ExecuteNonQueryAsync());
        Assert.Equal(MySqlErrorCode.DatabaseAccessDenied, error.ErrorCode);
        await using var visible = new MySqlCommand($"CREATE TABLE `{other}`.t (id int)", connection);
        await visible.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Wrong_password_is_refused()
    {
        var builder = new MySqlConnectionStringBuilder(Server.PasswordConnectionString) { Password = "not-the-password", Pooling = false };
        await using var connection = new MySqlConnection(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());

        Assert.Equal(MySqlErrorCode.AccessDenied, error.ErrorCode);
    }

    [Fact]
    public void Url_names_user_password_port_and_database()
    {
        var url = new Uri(Server.PasswordUrlFor("app_db"));

        Assert.Equal("mysql", url.Scheme);
        Assert.Equal("stepwise:s3cret-pw", url.UserInfo);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal(Server.Port, url.Port);
        Assert.Equal("/app_db", url.AbsolutePath);
        Assert.Equal($"mysql://root@127.0.0.1:{Server.Port}", Server.Url);
    }

    [Fact]
    public async Task ExecuteAsync_reports_rows_affected_in_the_named_database()
    {
        var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync()).Database;
        await Server.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2), (3), (4), (5)", database);

        var updated = await Server.ExecuteAsync("UPDATE t SET id = id + 10 WHERE id > 2", database);

        Assert.Equal(3, updated);
    }
}
