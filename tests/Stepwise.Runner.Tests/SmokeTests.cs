using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

public sealed class SmokeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-smoke-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Up_then_status_on_sqlite()
    {
        var migrations = Path.Combine(_dir, "migrations");
        Directory.CreateDirectory(migrations);
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_create.up.sql"), "CREATE TABLE t (id integer PRIMARY KEY, name text);\n");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0002_seed.up.sql"), "INSERT INTO t (id, name) VALUES (1, 'a');\n");
        var db = "sqlite:" + Path.Combine(_dir, "app.db");
        var up = await Stepwise.RunAsync(_dir, TimeSpan.FromMinutes(1), "up", "--database", db);
        Assert.True(up.ExitCode == 0, up.StandardOutput + up.StandardError);
        var status = await Stepwise.RunAsync(_dir, TimeSpan.FromMinutes(1), "status", "--database", db, "--format", "json");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("\"state\": \"applied\"", status.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("pending", status.StandardOutput, StringComparison.Ordinal);
    }
}
