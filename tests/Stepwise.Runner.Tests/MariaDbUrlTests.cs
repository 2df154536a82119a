using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>The query parameters of a mysql:// / mariadb:// URL reach the server (issue 11, item 4): the Unix
/// socket, ssl-mode, charset; an unknown one is refused by name.</summary>
[Collection("mariadb")]
public sealed class MariaDbUrlTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-maria-url-");

    public void Dispose() => _folder.Dispose();

    private async Task<string> CreateDatabaseAsync(string test) =>
        new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database;

    private async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var connection = new MySqlConnection(fixture.Server.ConnectionStringFor(database) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    [Fact]
    public async Task A_socket_url_reaches_the_test_server_through_its_socket()
    {
        var db = await CreateDatabaseAsync(nameof(A_socket_url_reaches_the_test_server_through_its_socket));
        _folder.Write("0001_via.up.sql", "CREATE TABLE via (id INT PRIMARY KEY, who VARCHAR(200) NOT NULL);\n");
        _folder.Write("0002_who.up.sql", "INSERT INTO via (id, who) VALUES (1, CURRENT_USER());\n");
        var socket = fixture.Server.SocketPath;

        var up = await _folder.RunAsync("up", "--database", $"mysql://root@/{db}?socket={socket}");

        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        // over TCP the test server knows root as root@127.0.0.1; through the socket it is root@localhost
        Assert.Equal("root@localhost", await ScalarAsync(db, "SELECT who FROM via"));
        Assert.Contains($"connected to mysql://root@/{db}?socket={socket}", up.StandardError, StringComparison.Ordinal);

        // the socket path percent-encoded in the host part
        var status = await _folder.RunAsync("status", "--database", $"mariadb://root@{Uri.EscapeDataString(socket)}/{db}", "--format", "json");
        Assert.True(status.ExitCode == 0, LayoutFolder.Show(status));
        Assert.Contains("\"applied\"", status.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\"pending\"", status.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssl_mode_reaches_the_driver_and_charset_utf8mb4_is_accepted()
    {
        var db = await CreateDatabaseAsync(nameof(Ssl_mode_reaches_the_driver_and_charset_utf8mb4_is_accepted));
        _folder.Write("0001_notes.up.sql", "CREATE TABLE notes (id INT PRIMARY KEY);\n");
        var url = fixture.Server.PasswordUrlFor(db);

        // the test server has no TLS: a mode that insists on it cannot connect
        var verify = await _folder.RunAsync("up", "--database", url + "?ssl-mode=VERIFY_IDENTITY");
        Assert.True(verify.ExitCode == 2, LayoutFolder.Show(verify));
        Assert.Null(await ScalarAsync(db, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'notes'"));

        var plain = await _folder.RunAsync("up", "--database", url + "?ssl-mode=DISABLED&charset=utf8mb4&connect_timeout=5");
        Assert.True(plain.ExitCode == 0, LayoutFolder.Show(plain));
        Assert.Equal("notes", await ScalarAsync(db, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{db}' AND table_name = 'notes'"));
        foreach (var r in new[] { verify, plain })
        {
            Assert.DoesNotContain(MariaDbServer.Password, r.StandardOutput + r.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_parameter_or_charset_is_exit_2_naming_it()
    {
        var db = await CreateDatabaseAsync(nameof(An_unknown_parameter_or_charset_is_exit_2_naming_it));
        _folder.Write("0001_notes.up.sql", "CREATE TABLE notes (id INT PRIMARY KEY);\n");
        var url = fixture.Server.PasswordUrlFor(db);

        var unknown = await _folder.RunAsync("up", "--database", url + "?sslrootcert=/etc/ssl/ca.pem");
        var latin1 = await _folder.RunAsync("status", "--database", url + "?charset=latin1");
        var mode = await _folder.RunAsync("up", "--database", url + "?ssl-mode=bogus");

        Assert.True(unknown.ExitCode == 2, LayoutFolder.Show(unknown));
        Assert.Contains("'sslrootcert'", unknown.StandardError, StringComparison.Ordinal);
        Assert.True(latin1.ExitCode == 2, LayoutFolder.Show(latin1));
        Assert.Contains("charset=latin1", latin1.StandardError, StringComparison.Ordinal);
        Assert.True(mode.ExitCode == 2, LayoutFolder.Show(mode));
        Assert.Contains("ssl-mode=bogus", mode.StandardError, StringComparison.Ordinal);
        Assert.Null(await ScalarAsync(db, $"SELECT table_name FROM information_schema.tables WHERE table_schema = '{db}'"));
    }
}
