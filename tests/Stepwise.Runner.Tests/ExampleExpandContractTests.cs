namespace Stepwise.Runner.Tests;

/// <summary>examples/expand-contract as its README walks it (Day 1 up → both releases → Day 7 complete), on a copy.</summary>
public sealed class ExampleExpandContractTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-example-ec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ExampleFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return Path.Combine(dir.FullName, "examples", "expand-contract");
            }
        }

        throw new InvalidOperationException("the repository root (Stepwise.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task The_example_expands_serves_both_releases_and_completes()
    {
        var example = Path.Combine(_dir, "expand-contract");
        Directory.CreateDirectory(example);
        foreach (var file in Directory.GetFiles(ExampleFolder()))
        {
            File.Copy(file, Path.Combine(example, Path.GetFileName(file)));
        }

        var path = Path.Combine(_dir, "orders.db");
        var db = new SqliteFile(path);
        var timeout = TimeSpan.FromMinutes(1);
        async Task<string> Run(params string[] args)
        {
            var r = await Stepwise.RunAsync(_dir, timeout, [.. args, "--dir", example, "--database", db.Url]);
            Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
            return r.StandardOutput + r.StandardError;
        }

        Assert.Contains("expanded", await Run("up"), StringComparison.Ordinal);
        Assert.Contains("expanded since", await Run("status"), StringComparison.Ordinal);

        // release 1 and release 2 side by side
        db.Execute("INSERT INTO orders (id, status, total) VALUES (4, 'new', 3)");
        Assert.Equal("new", db.Scalar("SELECT fulfillment_status FROM orders WHERE id = 4"));
        db.Execute("UPDATE orders SET fulfillment_status = 'paid' WHERE id = 1");
        Assert.Equal("paid", db.Scalar("SELECT status FROM orders WHERE id = 1"));
        Assert.Equal("shipped", db.Scalar("SELECT fulfillment_status FROM orders WHERE id = 3")); // backfilled

        await Run("complete");
        Assert.DoesNotContain("expanded", await Run("status"), StringComparison.Ordinal);
        Assert.Equal(0, db.Count("SELECT count(*) FROM pragma_table_info('orders') WHERE name = 'status'"));
        Assert.Equal("1:paid,2:paid,3:shipped,4:new", string.Join(",", db.Strings("SELECT id || ':' || fulfillment_status FROM orders ORDER BY id")));
        Assert.Equal(1, db.Count("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'orders_status'"));
    }
}
