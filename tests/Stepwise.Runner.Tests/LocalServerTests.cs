using System.Diagnostics;
using System.Net.Sockets;
using MySqlConnector;
using Npgsql;
using Stepwise.Engines;
using Stepwise.MySql.LocalServer;
using Stepwise.PostgreSql.LocalServer;
using Stepwise.Sql;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// `StepwiseMigrations.StartLocalServerAsync`, the throwaway server `verify`, `diff` and `trace` use when no
/// --scratch URL is given: it starts from this machine's binaries, answers a query with its random password, and
/// disposing it closes the port and removes its folder. PostgreSQL and MariaDB are installed here, so a null is a
/// failure, not a skip.
/// </summary>
public sealed class LocalServerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PostgreSQL_starts_answers_and_is_gone_after_dispose()
    {
        var clock = Stopwatch.StartNew();
        var server = await StepwiseMigrations.StartLocalServerAsync(SqlDialect.PostgreSql, CancellationToken.None);
        var started = clock.Elapsed;
        Assert.NotNull(server);
        var folder = Assert.IsType<PostgresLocalServer>(server).Folder;
        int port;
        await using (server)
        {
            output.WriteLine($"PostgreSQL local server started in {started.TotalMilliseconds:0} ms: {server.Version}");
            var target = server.Server;
            Assert.Equal((SqlDialect.PostgreSql, "127.0.0.1", "postgres"), (target.Dialect, target.Host, target.Database));
            Assert.False(string.IsNullOrEmpty(target.Password));
            Assert.DoesNotContain(target.Password!, target.Redacted, StringComparison.Ordinal);
            Assert.Contains("PostgreSQL", server.Version, StringComparison.Ordinal);
            port = target.Port;
            Assert.True(Directory.Exists(folder));

            var builder = new NpgsqlConnectionStringBuilder { Host = target.Host, Port = target.Port, Username = target.User, Password = target.Password, Database = target.Database, Pooling = false };
            await using (var connection = new NpgsqlConnection(builder.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("CREATE TABLE t (id int); INSERT INTO t VALUES (40), (2); SELECT sum(id)::int FROM t", connection);
                Assert.Equal(42, await command.ExecuteScalarAsync());
            }

            // the password is required: a wrong one is refused (scram-sha-256, not trust)
            builder.Password = "wrong";
            await using var wrong = new NpgsqlConnection(builder.ConnectionString);
            await Assert.ThrowsAsync<PostgresException>(() => wrong.OpenAsync());
        }

        Assert.False(IsListening(port), $"port {port} still accepts connections after dispose");
        Assert.False(Directory.Exists(folder), $"{folder} still exists after dispose");
    }

    [Fact]
    public async Task MariaDB_starts_answers_and_is_gone_after_dispose()
    {
        var clock = Stopwatch.StartNew();
        var server = await StepwiseMigrations.StartLocalServerAsync(SqlDialect.MySql, CancellationToken.None);
        var started = clock.Elapsed;
        Assert.NotNull(server);
        var folder = Assert.IsType<MySqlLocalServer>(server).Folder;
        int port;
        await using (server)
        {
            output.WriteLine($"MariaDB local server started in {started.TotalMilliseconds:0} ms: {server.Version}");
            var target = server.Server;
            Assert.Equal((SqlDialect.MySql, "127.0.0.1", "root"), (target.Dialect, target.Host, target.User));
            Assert.False(string.IsNullOrEmpty(target.Password));
            Assert.DoesNotContain(target.Password!, target.Redacted, StringComparison.Ordinal);
            Assert.Contains("MariaDB", server.Version, StringComparison.Ordinal);
            port = target.Port;
            Assert.True(Directory.Exists(folder));
            Assert.True(File.Exists(Path.Combine(folder, "server.sock")), "the socket lives in the server's own folder");

            var builder = new MySqlConnectionStringBuilder { Server = target.Host, Port = (uint)target.Port, UserID = target.User, Password = target.Password, Database = target.Database, Pooling = false };
            await using (var connection = new MySqlConnection(builder.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new MySqlCommand("CREATE TABLE t (id int); INSERT INTO t VALUES (40), (2); SELECT CAST(sum(id) AS SIGNED) FROM t", connection);
                Assert.Equal(42L, await command.ExecuteScalarAsync());
                await using var create = new MySqlCommand("CREATE DATABASE scratch_1; DROP DATABASE scratch_1", connection);
                await create.ExecuteNonQueryAsync(); // a superuser: scratch databases can be made from here

                // `stepwise trace` sees metadata locks only with performance_schema and its mdl instrument on
                await using var instrument = new MySqlCommand(
                    "SELECT CAST(@@performance_schema AS SIGNED) + (SELECT COUNT(*) FROM performance_schema.setup_instruments WHERE NAME = 'wait/lock/metadata/sql/mdl' AND ENABLED = 'YES')",
                    connection);
                Assert.Equal(2L, Convert.ToInt64(await instrument.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            }

            builder.Password = "wrong";
            await using var wrong = new MySqlConnection(builder.ConnectionString);
            await Assert.ThrowsAsync<MySqlException>(() => wrong.OpenAsync());
        }

        Assert.False(IsListening(port), $"port {port} still accepts connections after dispose");
        Assert.False(Directory.Exists(folder), $"{folder} still exists after dispose");
    }

    [Fact]
    public async Task SQLite_needs_no_server()
    {
        Assert.Null(await StepwiseMigrations.StartLocalServerAsync(SqlDialect.Sqlite, CancellationToken.None));
    }

    [SkippableFact]
    public async Task A_start_that_fails_throws_the_reason_and_leaves_no_folder()
    {
        Skip.If(OperatingSystem.IsWindows(), "shell-script stand-ins for the PostgreSQL binaries");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // binaries that exist but fail: initdb prints the data folder it was given and gives up
        var bin = Directory.CreateTempSubdirectory("stepwise-fakepg-").FullName;
        try
        {
            File.SetUnixFileMode(bin, (UnixFileMode)0b111_101_101);
            foreach (var (name, script) in new[]
            {
                ("initdb", "#!/bin/sh\necho \"initdb got data=$2\"\necho 'initdb: error: the disk is on fire' >&2\nexit 1\n"),
                ("pg_ctl", "#!/bin/sh\nexit 1\n"),
                ("postgres", "#!/bin/sh\necho 'postgres (PostgreSQL) 99.0'\n"),
            })
            {
                var path = Path.Combine(bin, name);
                await File.WriteAllTextAsync(path, script);
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }

            var error = await Assert.ThrowsAsync<EngineException>(() => PostgresLocalServer.StartAsync(bin, CancellationToken.None));
            Assert.Contains("did not start", error.Message, StringComparison.Ordinal);
            Assert.Contains("the disk is on fire", error.Message, StringComparison.Ordinal);
            var data = error.Message.Split("data=")[1].Split('\n')[0].Trim();
            Assert.EndsWith("/data", data, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.GetDirectoryName(data)), $"{Path.GetDirectoryName(data)} was left behind");
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
