namespace Stepwise.Runner.Tests;

/// <summary>Database URL errors that need no server: a sqlite: URL with a parameter, and a URL that does not
/// parse given where no URL belongs (the argument parser echoes it).</summary>
public sealed class DatabaseUrlCliTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-url-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_sqlite_url_with_a_parameter_is_exit_2_naming_it_and_creates_no_file()
    {
        _folder.Write("0001_people.up.sql", "CREATE TABLE people (id INTEGER PRIMARY KEY);\n");
        var db = Path.Combine(_folder.Root, "app.db");

        var up = await _folder.RunAsync("up", "--database", $"sqlite:{db}?mode=ro");
        var status = await _folder.RunAsync("status", "--database", $"sqlite:{db}?cache=shared", "--format", "json");

        Assert.True(up.ExitCode == 2, LayoutFolder.Show(up));
        Assert.Contains("'mode'", up.StandardError, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 2, LayoutFolder.Show(status));
        Assert.Contains("'cache'", status.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(db), "the database file was created anyway");
        Assert.Empty(Directory.GetFiles(_folder.Root, "app.db*"));
    }

    [Fact]
    public async Task A_stray_url_that_does_not_parse_is_echoed_without_its_password()
    {
        // forgot --database, and the URL has an unknown parameter and a password with raw / ? @ #
        const string url = "postgres://deployer:Zq/9?w@k#j@127.0.0.1:1/app?bogus=1&sslpassword=Kx%2F7";
        var r = await _folder.RunAsync("up", url);

        Assert.True(r.ExitCode == 2, LayoutFolder.Show(r));
        Assert.Contains("deployer:***@127.0.0.1:1/app", r.StandardError, StringComparison.Ordinal);
        foreach (var piece in new[] { "Zq/9", "9?w", "w@k", "k#j", "Kx%2F7", "Kx/7" })
        {
            Assert.DoesNotContain(piece, r.StandardOutput + r.StandardError, StringComparison.Ordinal);
        }
    }
}
