using Npgsql;

namespace Stepwise.Testing.Tests;

[Collection("postgres")]
public sealed class PostgresServerTests(PostgresFixture fixture)
{
    private PostgresServer Server => fixture.Server;

    [Fact]
    public async Task Server_is_PostgreSQL_15()
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version()", connection);
        var version = (string?)await command.ExecuteScalarAsync();

        Assert.StartsWith("PostgreSQL 15.", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_listens_on_loopback_only_without_durability()
    {
        Assert.Equal("127.0.0.1", await Server.ScalarAsync("SHOW listen_addresses"));
        Assert.Equal("off", await Server.ScalarAsync("SHOW fsync"));
        Assert.Equal("off", await Server.ScalarAsync("SHOW synchronous_commit"));
        Assert.Equal(Server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), await Server.ScalarAsync("SHOW port"));
    }

    [Fact]
    public async Task Databases_are_isolated_from_each_other()
    {
        var first = await fixture.CreateDatabaseAsync();
        var second = await fixture.CreateDatabaseAsync();
        Assert.NotEqual(first, second);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE TABLE widgets (id int); INSERT INTO widgets VALUES (1), (2)", connection);
            await command.ExecuteNonQueryAsync();
        }

        var firstName = new NpgsqlConnectionStringBuilder(first).Database!;
        var secondName = new NpgsqlConnectionStringBuilder(second).Database!;
        Assert.Equal(2L, await Server.ScalarAsync("SELECT count(*) FROM widgets", firstName));
        Assert.Null(await Server.ScalarAsync("SELECT to_regclass('widgets')::text", secondName));
    }

    [Fact]
    public async Task Password_user_logs_in_with_scram_and_owns_created_databases()
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync()).Database!;

        await using var connection = new NpgsqlConnection(Server.PasswordConnectionStringFor(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "CREATE TABLE owned (id int); SELECT current_user || ' ' || (SELECT tableowner FROM pg_tables WHERE tablename = 'owned')",
            connection);

        Assert.Equal("stepwise stepwise", await command.ExecuteScalarAsync());
        Assert.Equal(true, await Server.ScalarAsync("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' AND NOT rolsuper FROM pg_authid WHERE rolname = 'stepwise'"));
    }

    [Fact]
    public async Task Wrong_password_is_refused()
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.PasswordConnectionString) { Password = "not-the-password", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
    }

    [Fact]
    public void Url_names_user_password_port_and_database()
    {
        var url = new Uri(Server.PasswordUrlFor("app_db"));

        Assert.Equal("postgres", url.Scheme);
        Assert.Equal("stepwise:s3cret-pw", url.UserInfo);
        Assert.Equal("127.0.0.1", url.Host);
        Assert.Equal(Server.Port, url.Port);
        Assert.Equal("/app_db", url.AbsolutePath);
        Assert.Equal($"postgres://postgres@127.0.0.1:{Server.Port}/postgres", Server.Url);
    }

    [Fact]
    public async Task ExecuteAsync_reports_rows_affected_in_the_named_database()
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync()).Database!;
        await Server.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 5)", database);

        var updated = await Server.ExecuteAsync("UPDATE t SET id = id + 1 WHERE id > 2", database);

        Assert.Equal(3, updated);
    }
}
