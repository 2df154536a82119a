using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Stepwise.Runner.Tests;

public sealed class BackfillSqliteTests : BackfillScenarios
{
    private string _path = string.Empty;

    protected override Task<string> NewDatabaseAsync(string test)
    {
        _path = Path.Combine(Dir, test + ".db");
        return Task.FromResult("sqlite:" + _path);
    }

    protected override DbConnection Open() => new SqliteConnection($"Data Source={_path};Pooling=False");

    protected override string Series(int n) => $"(WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < {n}) SELECT g FROM r) AS s";

    /// <summary>SQLite has no key-less tables: every table without INTEGER PRIMARY KEY still has a rowid to walk.</summary>
    [Fact]
    public async Task Table_without_a_key_is_walked_by_rowid()
    {
        var url = await NewDatabaseAsync(nameof(Table_without_a_key_is_walked_by_rowid));
        await ExecAsync("CREATE TABLE nokey (n integer, v integer)");
        await ExecAsync($"INSERT INTO nokey (n) SELECT g FROM {Series(2500)}");
        var r = await BackfillAsync(url, "--table", "nokey", "--set", "v = n * 2", "--batch-size", "300");
        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.Equal(0, await LongAsync("SELECT count(*) FROM nokey WHERE v IS NOT n * 2"));
    }
}
