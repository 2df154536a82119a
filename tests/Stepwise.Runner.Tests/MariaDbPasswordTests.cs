using MySqlConnector;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>The password in --database never appears in any output: success, failure, JSON, wrong password.</summary>
[Collection("mariadb")]
public sealed class MariaDbPasswordTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-maria-pw-");

    public void Dispose() => _folder.Dispose();

    // Assertion messages must not carry the password either: show the output with it masked.
    private static string Masked(ChildProcessResult r, string password) =>
        LayoutFolder.Show(r).Replace(password, "<PASSWORD>", StringComparison.Ordinal);

    private static void AssertNoPassword(ChildProcessResult r, string password, string what)
    {
        Assert.False(r.StandardOutput.Contains(password, StringComparison.Ordinal), $"{what}: stdout contains the password");
        Assert.False(r.StandardError.Contains(password, StringComparison.Ordinal), $"{what}: stderr contains the password");
    }

    [Fact]
    public async Task No_command_prints_the_password_and_a_wrong_password_is_one_line_with_exit_2()
    {
        var cs = await fixture.CreateDatabaseAsync(nameof(No_command_prints_the_password_and_a_wrong_password_is_one_line_with_exit_2));
        var db = new MySqlConnectionStringBuilder(cs).Database;
        var url = fixture.Server.PasswordUrlFor(db);
        var password = MariaDbServer.Password;
        Assert.Contains(password, url, StringComparison.Ordinal);

        _folder.Write("0001_notes.up.sql", "CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(100) NULL);\n");
        _folder.Write("0001_notes.down.sql", "DROP TABLE notes;\n");
        _folder.Write("0002_tags.up.sql", "CREATE TABLE tags (id INT PRIMARY KEY);\n");
        _folder.Write("0002_tags.down.sql", "DROP TABLE tags;\n");

        var runs = new List<(string What, ChildProcessResult Result, int Expected)>();
        async Task Run(string what, int expected, params string[] args)
        {
            var r = await _folder.RunAsync([.. args, "--database", url]);
            runs.Add((what, r, expected));
        }

        await Run("up --dry-run", 0, "up", "--dry-run");
        await Run("up", 0, "up");
        await Run("up json", 0, "up", "--format", "json");
        await Run("status", 0, "status");
        await Run("status json", 0, "status", "--format", "json");
        await Run("validate", 0, "validate");
        await Run("validate json", 0, "validate", "--format", "json");
        await Run("down", 0, "down");
        await Run("force", 0, "force", "2");
        await Run("baseline on a journal that has records", 1, "baseline");

        // a failing migration: the server's error is printed and journaled
        _folder.Write("0003_bad.up.sql", "CREATE TABLE bad1 (id INT PRIMARY KEY);\nALTER TABLE bad1 DROP COLUMN no_such_column;\n");
        await Run("up failing", 1, "up");
        await Run("up failing json", 1, "up", "--format", "json");
        await Run("status after failure", 1, "status");
        await Run("status json after failure", 1, "status", "--format", "json");
        await Run("validate after failure", 1, "validate", "--format", "json");
        _folder.Write("0003_bad.up.sql", "CREATE TABLE bad1 (id INT PRIMARY KEY);\nALTER TABLE bad1 ADD COLUMN fixed INT NULL;\n");
        await Run("repair", 0, "repair");
        await Run("repair json", 0, "repair", "--format", "json");
        await Run("up after repair", 0, "up");

        foreach (var (what, r, expected) in runs)
        {
            AssertNoPassword(r, password, what);
            Assert.True(r.ExitCode == expected, $"{what}: expected exit {expected}\n{Masked(r, password)}");
        }

        // the redacted URL is what is shown
        Assert.Contains("stepwise:***@", runs.Single(x => x.What == "up").Result.StandardError, StringComparison.Ordinal);

        // a wrong password: exit 2, one line, neither password printed
        const string wrong = "not-the-pw-9731";
        var wrongUrl = url.Replace(password, wrong, StringComparison.Ordinal);
        foreach (var command in new[] { "up", "status", "down", "validate", "repair", "baseline" })
        {
            var r = await _folder.RunAsync(command, "--database", wrongUrl);
            AssertNoPassword(r, password, command + " with a wrong password");
            AssertNoPassword(r, wrong, command + " with a wrong password");
            Assert.True(r.ExitCode == 2, $"{command}: {Masked(r, wrong)}");
            var lines = r.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"{command}: {Masked(r, wrong)}");
            Assert.Contains("Access denied", lines[0], StringComparison.Ordinal);
            Assert.Contains("stepwise:***@", lines[0], StringComparison.Ordinal);
            Assert.Equal(string.Empty, r.StandardOutput.Trim());

            var json = await _folder.RunAsync(command, "--database", wrongUrl, "--format", "json");
            AssertNoPassword(json, wrong, command + " json with a wrong password");
            Assert.Equal(2, json.ExitCode);
        }
    }
}
