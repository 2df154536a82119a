using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>The password given in the database URL never appears in any output: successes, failures, text and
/// JSON. (Every PostgreSQL test checks this for its own runs; this one goes looking for the edge cases.)</summary>
[Collection("postgres")]
public sealed class PostgresPasswordTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_password_appears_in_no_output_of_any_command_in_text_or_json()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        pg.Write("0001_first.down.sql", "DROP TABLE first;\n");
        pg.Write("0002_broken.up.sql", "CREATE TABLE broken (id integer PRIMARY KEY);\nINSERT INTO broken VALUES ('not a number');\n");
        var failures = 0;
        string[][] text =
        [
            ["status"], ["up", "--dry-run"], ["up"], ["validate"], ["repair"], ["up", "--to", "0001"], ["down"],
            ["force", "0001"], ["baseline", "--from", "flyway"], ["down", "--to", "0000"],
        ];
        string[][] json = [["status"], ["up"], ["validate"], ["repair"], ["down", "--to", "0000"]];
        foreach (var (args, format) in text.Select(a => (a, "text")).Concat(json.Select(a => (a, "json"))))
        {
            // RunAsync itself asserts that neither stdout nor stderr contains the password
            var result = await pg.RunAsync([.. args, "--format", format]);
            failures += result.ExitCode == 0 ? 0 : 1;
        }

        Assert.True(failures >= 4, "the sequence was meant to include failing commands");

        // connection failures: a database that does not exist, and a server that is not there
        var missingDb = pg.Url.Replace("/" + pg.Database, "/no_such_database", StringComparison.Ordinal);
        foreach (var format in new[] { "text", "json" })
        {
            var result = await pg.RunWithUrlAsync(missingDb, "up", "--format", format);
            Assert.Equal(2, result.ExitCode);
            var closed = pg.Url.Replace($":{pg.Server.Port}/", ":1/", StringComparison.Ordinal);
            Assert.Equal(2, (await pg.RunWithUrlAsync(closed, "status", "--format", format)).ExitCode);
        }

        // the same from DATABASE_URL
        var fromEnv = await ChildProcess.RunAsync("dotnet", [Stepwise.Dll, "up", "--dir", pg.Migrations], new Dictionary<string, string?> { ["DATABASE_URL"] = missingDb }, TimeSpan.FromSeconds(60), pg.Root);
        PgScenario.AssertNoPassword(fromEnv, "up (DATABASE_URL)");
        Assert.Equal(2, fromEnv.ExitCode);
    }

    [Fact]
    public async Task A_url_given_where_no_url_belongs_is_not_echoed_with_its_password()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");

        // a forgotten --database: the parser reports the stray argument, and must not print the password with it
        var stray = await Stepwise.RunAsync(pg.Root, TimeSpan.FromSeconds(60), "up", pg.Url, "--dir", pg.Migrations);
        PgScenario.AssertNoPassword(stray, "up URL");
        Assert.Equal(2, stray.ExitCode);
        Assert.Contains("stepwise:***@", stray.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_with_url_special_characters_is_hidden_in_both_its_forms()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_first.up.sql", "CREATE TABLE first (id integer PRIMARY KEY);\n");
        var role = "odd_" + pg.Database[^8..];
        const string password = "p@ss:w/rd%41&x?";
        await fixture.Server.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD '{password}'; GRANT ALL ON DATABASE {pg.Database} TO {role}; GRANT stepwise TO {role}");
        var url = $"postgres://{role}:{Uri.EscapeDataString(password)}@127.0.0.1:{pg.Server.Port}/{pg.Database}";

        var up = await pg.RunWithUrlAsync(url, "up");
        PgScenario.AssertNoPassword(up, "up", password);
        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        Assert.True(await pg.TableExistsAsync("first"));

        // a failure that prints the URL (redacted): the server's trust rule for other roles means a wrong password
        // would not be noticed, so the database is the wrong part
        var failed = await pg.RunWithUrlAsync(url.Replace("/" + pg.Database, "/no_such_database", StringComparison.Ordinal), "status", "--format", "json");
        PgScenario.AssertNoPassword(failed, "status", password);
        Assert.Contains("no_such_database", failed.StandardOutput, StringComparison.Ordinal); // JSON carries the message
        Assert.Equal(2, failed.ExitCode);
    }
}
