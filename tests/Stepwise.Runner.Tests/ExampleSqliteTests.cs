namespace Stepwise.Runner.Tests;

/// <summary>The README's first command: the bundled SQLite example applies, shows its status, rolls back
/// (through the backfill file's own batched down) and applies again — on a copy, so the repository is untouched.</summary>
public sealed class ExampleSqliteTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-example-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ExampleFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return Path.Combine(dir.FullName, "examples", "sqlite");
            }
        }

        throw new InvalidOperationException("the repository root (Stepwise.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task The_bundled_example_applies_rolls_back_and_applies_again()
    {
        var example = Path.Combine(_dir, "sqlite");
        Directory.CreateDirectory(example);
        foreach (var file in Directory.GetFiles(ExampleFolder()))
        {
            File.Copy(file, Path.Combine(example, Path.GetFileName(file)));
        }

        var db = "sqlite:" + Path.Combine(_dir, "demo.db");
        var timeout = TimeSpan.FromMinutes(1);
        var up = await Stepwise.RunAsync(_dir, timeout, "up", "--dir", example, "--database", db);
        Assert.True(up.ExitCode == 0, up.StandardOutput + up.StandardError);
        Assert.Contains("applied 5 migration(s)", up.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("backfilled 2 rows of users", up.StandardError, StringComparison.Ordinal); // run as a backfill, not one UPDATE

        var status = await Stepwise.RunAsync(_dir, timeout, "status", "--dir", example, "--database", db);
        Assert.True(status.ExitCode == 0, status.StandardOutput + status.StandardError);
        Assert.Equal(5, status.StandardOutput.Split('\n').Count(l => l.Contains(" applied ", StringComparison.Ordinal)));

        var down = await Stepwise.RunAsync(_dir, timeout, "down", "--dir", example, "--database", db, "--to", "20240103000000");
        Assert.True(down.ExitCode == 0, down.StandardOutput + down.StandardError);
        Assert.Contains("rolled back 2 migration(s)", down.StandardOutput, StringComparison.Ordinal);

        var again = await Stepwise.RunAsync(_dir, timeout, "up", "--dir", example, "--database", db);
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains("applied 2 migration(s)", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("backfilled 2 rows of users", again.StandardError, StringComparison.Ordinal); // not "already finished"
    }
}
