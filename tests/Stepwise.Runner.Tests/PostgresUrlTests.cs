using System.Globalization;
using System.Text.Json;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>The query parameters of a postgres:// URL reach the server (issue 11, item 4): a Unix socket, the
/// schema, startup options, application_name, the password, sslmode; an unknown one is refused by name.</summary>
[Collection("postgres")]
public sealed class PostgresUrlTests(PostgresFixture fixture)
{
    private static string States(ChildProcessResult status)
    {
        Assert.True(status.ExitCode == 0, PgScenario.Describe(status));
        using var json = JsonDocument.Parse(status.StandardOutput);
        return string.Join(' ', json.RootElement.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("version").GetString() + "=" + m.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task A_unix_socket_url_reaches_the_test_server_through_its_socket()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_via.up.sql", "CREATE TABLE via AS SELECT inet_client_addr() IS NULL AS over_socket, current_setting('port') AS port;\n");
        var socket = pg.Server.SocketDirectory;
        var port = pg.Server.Port.ToString(CultureInfo.InvariantCulture);

        // libpq's form: no host in the authority, the socket folder and port as query parameters
        var url = $"postgres://{PostgresServer.PasswordUser}:{PostgresServer.Password}@/{pg.Database}?host={socket}&port={port}";
        var up = await pg.RunWithUrlAsync(url, "up");

        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        Assert.True(await pg.ScalarAsync<bool>("SELECT over_socket FROM via"), "the migration ran over TCP, not the socket");
        Assert.Equal(port, await pg.ScalarAsync<string>("SELECT port FROM via"));
        Assert.Contains($"connected to postgres://stepwise:***@/{pg.Database}?host={socket}&port={port}", up.StandardError, StringComparison.Ordinal);

        // the other libpq form: the socket folder percent-encoded in the host part
        var encoded = $"postgresql://{PostgresServer.PasswordUser}:{PostgresServer.Password}@{Uri.EscapeDataString(socket)}:{port}/{pg.Database}";
        Assert.Equal("0001=applied", States(await pg.RunWithUrlAsync(encoded, "status", "--format", "json")));
    }

    [Fact]
    public async Task Search_path_puts_the_journal_and_the_tables_in_that_schema()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        await pg.ExecuteAsync($"CREATE SCHEMA app AUTHORIZATION {PostgresServer.PasswordUser}");
        pg.Write("0001_widgets.up.sql", "CREATE TABLE widgets (id integer PRIMARY KEY);\n");

        var up = await pg.RunWithUrlAsync(pg.Url + "?search_path=app", "up");

        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        Assert.True(await pg.ScalarAsync<bool>("SELECT to_regclass('app.stepwise_migrations') IS NOT NULL"), "no journal in schema app");
        Assert.True(await pg.ScalarAsync<bool>("SELECT to_regclass('app.widgets') IS NOT NULL"), "no table app.widgets");
        Assert.False(await pg.TableExistsAsync("stepwise_migrations"), "the journal went to public");
        Assert.False(await pg.TableExistsAsync("widgets"), "the table went to public");

        // pgJDBC's name for the same thing reads that journal; without it the public schema has none
        Assert.Equal("0001=applied", States(await pg.RunWithUrlAsync(pg.Url + "?currentSchema=app", "status", "--format", "json")));
        Assert.Equal("0001=pending", States(await pg.RunWithUrlAsync(pg.Url, "status", "--format", "json")));
    }

    [Fact]
    public async Task Options_and_application_name_are_the_session_settings_seen_in_pg_stat_activity()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        // reset_val is the session's value from startup (the runner's SET LOCAL lock_timeout leaves it alone)
        pg.Write("0001_seen.up.sql", """
            CREATE TABLE seen AS
            SELECT a.application_name, (SELECT reset_val FROM pg_settings WHERE name = 'lock_timeout') AS lock_timeout
            FROM pg_stat_activity a WHERE a.pid = pg_backend_pid();

            """);

        var up = await pg.RunWithUrlAsync(pg.Url + "?application_name=deploy%2042&options=-c%20lock_timeout%3D4321", "up");

        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        Assert.Equal("deploy 42", await pg.ScalarAsync<string>("SELECT application_name FROM seen"));
        Assert.Equal("4321", await pg.ScalarAsync<string>("SELECT lock_timeout FROM seen"));
    }

    [Fact]
    public async Task The_password_parameter_logs_in()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        var url = $"postgres://{PostgresServer.PasswordUser}@{PostgresServer.Host}:{pg.Server.Port}/{pg.Database}?password={PostgresServer.Password}";

        var up = await pg.RunWithUrlAsync(url, "up");

        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        Assert.True(await pg.TableExistsAsync("first"));
        Assert.Contains("stepwise:***@", up.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_with_raw_slash_question_mark_at_and_hash_logs_in_and_is_never_printed()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        pg.Write("0002_bad.up.sql", "SELECT * FROM no_such_table;\n");

        // only the password user is checked (scram) by the test server; the collection runs its tests one at a time
        const string password = "Pw/7?q@x#k";
        await fixture.Server.ExecuteAsync($"ALTER ROLE {PostgresServer.PasswordUser} PASSWORD '{password}'");
        try
        {
            var url = $"postgres://{PostgresServer.PasswordUser}:{password}@{PostgresServer.Host}:{pg.Server.Port}/{pg.Database}";
            var up = await pg.RunWithUrlAsync(url, "up", "--format", "json");
            var failed = await pg.RunWithUrlAsync(url, "up");
            var wrongDb = await pg.RunWithUrlAsync(url.Replace("/" + pg.Database, "/no_such_db", StringComparison.Ordinal), "status");

            foreach (var (what, r) in new[] { ("up json", up), ("up", failed), ("status", wrongDb) })
            {
                PgScenario.AssertNoPassword(r, what, password);
                foreach (var piece in new[] { "Pw/7", "7?q", "q@x", "x#k" })
                {
                    Assert.False(r.StandardOutput.Contains(piece, StringComparison.Ordinal) || r.StandardError.Contains(piece, StringComparison.Ordinal), $"{what}: part of the password ({piece}) was printed");
                }
            }

            Assert.Equal(1, up.ExitCode); // 0001 applied with that password, 0002 failed
            Assert.True(await pg.TableExistsAsync("first"));
            Assert.Contains("no_such_table", failed.StandardError, StringComparison.Ordinal);
            Assert.Equal(2, wrongDb.ExitCode);
            Assert.Contains("stepwise:***@127.0.0.1", wrongDb.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Server.ExecuteAsync($"ALTER ROLE {PostgresServer.PasswordUser} PASSWORD '{PostgresServer.Password}'");
        }
    }

    [Fact]
    public async Task Sslmode_reaches_the_driver_verify_full_refuses_a_server_without_tls()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");

        foreach (var mode in new[] { "verify-full", "require" })
        {
            var r = await pg.RunWithUrlAsync(pg.Url + "?sslmode=" + mode, "up");
            Assert.True(r.ExitCode == 2, $"sslmode={mode}: " + PgScenario.Describe(r));
            Assert.Contains("SSL", r.StandardError, StringComparison.OrdinalIgnoreCase);
        }

        Assert.False(await pg.TableExistsAsync("first"));
        var disabled = await pg.RunWithUrlAsync(pg.Url + "?sslmode=disable&connect_timeout=5", "up");
        Assert.True(disabled.ExitCode == 0, PgScenario.Describe(disabled));
    }

    [Fact]
    public async Task An_unknown_parameter_or_sslmode_is_exit_2_naming_it_and_nothing_runs()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");

        var unknown = await pg.RunWithUrlAsync(pg.Url + "?search_pth=app", "up");
        var unknownStatus = await pg.RunWithUrlAsync(pg.Url + "?sslmode=require&target_session_attrs=any", "status", "--format", "json");
        var bogus = await pg.RunWithUrlAsync(pg.Url + "?sslmode=bogus", "up");
        var bogusStatus = await pg.RunWithUrlAsync(pg.Url + "?sslmode=bogus", "status");

        Assert.True(unknown.ExitCode == 2, PgScenario.Describe(unknown));
        Assert.Contains("'search_pth'", unknown.StandardError, StringComparison.Ordinal);
        Assert.True(unknownStatus.ExitCode == 2, PgScenario.Describe(unknownStatus));
        Assert.Contains("'target_session_attrs'", unknownStatus.StandardError, StringComparison.Ordinal);
        foreach (var r in new[] { bogus, bogusStatus })
        {
            Assert.True(r.ExitCode == 2, PgScenario.Describe(r));
            Assert.Contains("sslmode=bogus", r.StandardError, StringComparison.Ordinal);
        }

        Assert.False(await pg.TableExistsAsync("stepwise_migrations"));
        Assert.False(await pg.TableExistsAsync("first"));
    }
}
