using MySqlConnector;
using Npgsql;
using Stepwise.Testing.Internal;
using Xunit.Abstractions;

namespace Stepwise.Testing.Tests;

/// <summary>Starting, stopping and cleaning up servers; each test starts its own (not the shared fixture).</summary>
public sealed class ServerLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Postgres_servers_started_together_get_their_own_ports_and_folders_and_leave_nothing_behind()
    {
        var started = await Task.WhenAll(PostgresServer.StartAsync(), PostgresServer.StartAsync());
        var (first, second) = (started[0], started[1]);
        output.WriteLine($"PostgreSQL startup, two at once: {first.StartupTime.TotalSeconds:0.00} s and {second.StartupTime.TotalSeconds:0.00} s");

        Assert.NotEqual(first.Port, second.Port);
        Assert.NotEqual(first.Directory, second.Directory);
        foreach (var server in started)
        {
            Assert.Equal(1, await server.ScalarAsync("SELECT 1"));
        }

        // the first server's test run "was killed": the next start (which reaps first) stops it and deletes its folder
        var firstPid = ServerDirectory.ReadPid(Path.Combine(first.Directory, "data", "postmaster.pid"))!.Value;
        Ports.OrphanFolder(first.Directory);
        await PostgresServer.ReapLeftoversAsync();
        Assert.True(await Ports.IsClosedAsync(first.Port));
        Assert.False(Directory.Exists(first.Directory));
        Assert.True(Ports.IsGone(firstPid));
        Assert.Equal(1, await second.ScalarAsync("SELECT 1"));

        await first.DisposeAsync();
        var secondPid = ServerDirectory.ReadPid(Path.Combine(second.Directory, "data", "postmaster.pid"))!.Value;
        await second.DisposeAsync();

        Assert.True(await Ports.IsClosedAsync(second.Port));
        Assert.False(Directory.Exists(second.Directory));
        Assert.True(Ports.IsGone(secondPid));
        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    [Fact]
    public async Task MariaDb_servers_started_together_get_their_own_ports_and_folders_and_leave_nothing_behind()
    {
        var started = await Task.WhenAll(MariaDbServer.StartAsync(), MariaDbServer.StartAsync());
        var (first, second) = (started[0], started[1]);
        output.WriteLine($"MariaDB startup, two at once: {first.StartupTime.TotalSeconds:0.00} s and {second.StartupTime.TotalSeconds:0.00} s");

        Assert.NotEqual(first.Port, second.Port);
        Assert.NotEqual(first.Directory, second.Directory);
        foreach (var server in started)
        {
            Assert.Equal(1, Convert.ToInt32(await server.ScalarAsync("SELECT 1"), System.Globalization.CultureInfo.InvariantCulture));
        }

        var firstPid = ServerDirectory.ReadPid(Path.Combine(first.Directory, "mariadbd.pid"))!.Value;
        Ports.OrphanFolder(first.Directory);
        await MariaDbServer.ReapLeftoversAsync();
        Assert.True(await Ports.IsClosedAsync(first.Port));
        Assert.False(Directory.Exists(first.Directory));
        Assert.True(Ports.IsGone(firstPid));
        Assert.Equal(1, Convert.ToInt32(await second.ScalarAsync("SELECT 1"), System.Globalization.CultureInfo.InvariantCulture));

        await first.DisposeAsync();
        var secondPid = ServerDirectory.ReadPid(Path.Combine(second.Directory, "mariadbd.pid"))!.Value;
        await second.DisposeAsync();
        await second.DisposeAsync();

        Assert.True(await Ports.IsClosedAsync(second.Port));
        Assert.False(Directory.Exists(second.Directory));
        Assert.True(Ports.IsGone(secondPid));
        await using var connection = new MySqlConnection(second.ConnectionString);
        await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());
    }
}
