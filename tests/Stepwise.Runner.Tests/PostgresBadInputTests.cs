using System.Net;
using System.Net.Sockets;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Bad input: one clear line on stderr naming the problem, the documented exit code (2 for usage and
/// connection errors, 1 for something to act on), and nothing changed in the database.
/// </summary>
[Collection("postgres")]
public sealed class PostgresBadInputTests(PostgresFixture fixture)
{
    /// <summary>A database with 0001 applied, and what it looks like (schema and journal) to compare with later.</summary>
    private static async Task<(PgScenario Pg, PgSchema Schema, List<PgJournalRow> Journal)> AppliedOneAsync(PostgresFixture fixture, string test)
    {
        var pg = await PgScenario.CreateAsync(fixture, test);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        var up = await pg.RunAsync("up");
        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        return (pg, await pg.SchemaAsync(), await pg.JournalAsync());
    }

    private static async Task AssertUnchangedAsync(PgScenario pg, PgSchema schema, List<PgJournalRow> journal)
    {
        Assert.True((await pg.SchemaAsync()).SameAs(schema), "the schema changed");
        Assert.Equal(journal, await pg.JournalAsync());
    }

    private static string AssertOneProblem(ChildProcessResult result, int exitCode, params string[] mentions)
    {
        Assert.True(result.ExitCode == exitCode, PgScenario.Describe(result));
        var line = Assert.Single(PgScenario.ProblemLines(result));
        foreach (var mention in mentions)
        {
            Assert.Contains(mention, line, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        return line;
    }

    [Fact]
    public async Task Duplicate_versions_are_refused_before_connecting()
    {
        var (pg, schema, journal) = await AppliedOneAsync(fixture, nameof(Duplicate_versions_are_refused_before_connecting));
        using var owned = pg;
        pg.Write("0002_add_a.up.sql", "CREATE TABLE a (id integer PRIMARY KEY);\n");
        pg.Write("0002_add_b.up.sql", "CREATE TABLE b (id integer PRIMARY KEY);\n");

        AssertOneProblem(await pg.RunAsync("up"), 2, "duplicate version 0002", "0002_add_");
        AssertOneProblem(await pg.RunAsync("status"), 2, "duplicate version 0002");
        await AssertUnchangedAsync(pg, schema, journal);
    }

    [Fact]
    public async Task Unparseable_file_names_are_refused()
    {
        var (pg, schema, journal) = await AppliedOneAsync(fixture, nameof(Unparseable_file_names_are_refused));
        using var owned = pg;
        pg.Write("0002-add_a.up.sql", "CREATE TABLE a (id integer PRIMARY KEY);\n");

        AssertOneProblem(await pg.RunAsync("up"), 2, "0002-add_a.up.sql", "does not match");
        await AssertUnchangedAsync(pg, schema, journal);
    }

    [Fact]
    public async Task A_down_migration_without_an_up_is_refused()
    {
        var (pg, schema, journal) = await AppliedOneAsync(fixture, nameof(A_down_migration_without_an_up_is_refused));
        using var owned = pg;
        pg.Write("0002_add_a.down.sql", "DROP TABLE a;\n");

        AssertOneProblem(await pg.RunAsync("up"), 2, "0002_add_a.down.sql", "without an up");
        await AssertUnchangedAsync(pg, schema, journal);
    }

    [Fact]
    public async Task A_missing_file_for_an_applied_version_shows_as_missing_and_up_refuses()
    {
        var (pg, _, _) = await AppliedOneAsync(fixture, nameof(A_missing_file_for_an_applied_version_shows_as_missing_and_up_refuses));
        using var owned = pg;
        pg.Write("0002_second.up.sql", "CREATE TABLE second (id integer PRIMARY KEY);\n");
        Assert.Equal(0, (await pg.RunAsync("up")).ExitCode);
        var schema = await pg.SchemaAsync();
        var journal = await pg.JournalAsync();
        pg.Delete("0002_second.up.sql");
        pg.Write("0003_third.up.sql", "CREATE TABLE third (id integer PRIMARY KEY);\n");

        var status = await pg.RunAsync("status");
        Assert.Equal(1, status.ExitCode);
        Assert.Matches(@"0002\s+missing\s+second", status.StandardOutput);
        var json = await pg.RunAsync("status", "--format", "json");
        Assert.Contains("\"state\": \"missing\"", json.StandardOutput, StringComparison.Ordinal);

        AssertOneProblem(await pg.RunAsync("validate"), 1, "0002 second", "no file");
        AssertOneProblem(await pg.RunAsync("up"), 1, "0002 second", "file");
        await AssertUnchangedAsync(pg, schema, journal);
    }

    [Fact]
    public async Task A_changed_applied_file_is_reported_and_blocks_up()
    {
        var (pg, schema, journal) = await AppliedOneAsync(fixture, nameof(A_changed_applied_file_is_reported_and_blocks_up));
        using var owned = pg;

        // line endings alone are not a change (checksums normalise CRLF to LF)
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\r\n");
        var same = await pg.RunAsync("validate");
        Assert.True(same.ExitCode == 0, PgScenario.Describe(same));

        pg.Write("0001_first.up.sql", "CREATE TABLE first (id bigint PRIMARY KEY);\n");
        pg.Write("0002_second.up.sql", "CREATE TABLE second (id integer PRIMARY KEY);\n");
        var status = await pg.RunAsync("status");
        Assert.Equal(1, status.ExitCode);
        Assert.Matches(@"0001\s+changed\s+first", status.StandardOutput);
        AssertOneProblem(await pg.RunAsync("validate"), 1, "0001 first", "changed");
        AssertOneProblem(await pg.RunAsync("up"), 1, "0001 first", "changed");
        await AssertUnchangedAsync(pg, schema, journal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_connection_error()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        const string wrong = "not-the-pw-8431";
        var url = pg.Url.Replace(PostgresServer.Password, wrong, StringComparison.Ordinal);

        var result = await pg.RunWithUrlAsync(url, "up");
        PgScenario.AssertNoPassword(result, "up", wrong);
        AssertOneProblem(result, 2, "cannot connect", "password authentication failed", "stepwise:***@");
        Assert.Empty(await pg.JournalAsync());
        Assert.False(await pg.TableExistsAsync("first"));
    }

    [Fact]
    public async Task An_unreachable_host_is_a_quick_connection_error()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        var closed = ClosedPort();
        var url = $"postgres://stepwise:{PostgresServer.Password}@127.0.0.1:{closed}/{pg.Database}";

        var result = await pg.RunWithUrlAsync(url, "up");
        AssertOneProblem(result, 2, "cannot connect", $"127.0.0.1:{closed}");
        // refused at once: no connect timeout to sit out (generous bound for a loaded machine)
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(10), $"took {result.Elapsed.TotalSeconds:0.0} s");
        Assert.Empty(await pg.JournalAsync());
    }

    [Fact]
    public async Task An_unknown_url_scheme_is_a_usage_error()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        var url = pg.Url.Replace("postgres://", "oracle://", StringComparison.Ordinal);

        AssertOneProblem(await pg.RunWithUrlAsync(url, "up"), 2, "unknown database URL scheme 'oracle'");
        AssertOneProblem(await pg.RunWithUrlAsync(url, "status"), 2, "unknown database URL scheme 'oracle'");
        Assert.Empty(await pg.JournalAsync());
        Assert.False(await pg.TableExistsAsync("first"));
    }

    /// <summary>A port nothing listens on: bound once to get a free number, then closed.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
