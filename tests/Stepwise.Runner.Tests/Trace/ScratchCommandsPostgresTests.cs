using System.Text.Json;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests.Trace;

/// <summary>
/// `stepwise trace`, `verify` and `diff` as a user runs them: the real program, `--scratch` naming a PostgreSQL
/// server through a URL with a password. Each run must leave no scratch database behind (also after Ctrl-C) and
/// never print the password.
/// </summary>
[Collection("postgres")]
public sealed class ScratchCommandsPostgresTests(PostgresFixture fixture, ITestOutputHelper output) : IDisposable
{
    /// <summary>The lock and rewrite claims lint makes on examples/unsafe; trace must confirm each of them.</summary>
    private static readonly string[] LockAndRewriteRules =
    [
        "adding-required-column", "non-concurrent-index", "constraint-missing-not-valid", "changing-column-type", "set-not-null",
        "adding-unique-constraint", "adding-column-volatile-default", "lock-table", "table-rewrite-command", "non-concurrent-index-drop",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("sw-scratch-cli-").FullName;

    private string Scratch => fixture.Server.PasswordUrl;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Trace_of_examples_unsafe_confirms_every_lock_and_rewrite_finding_and_drops_its_database()
    {
        var result = await RunAsync("trace", "--dir", Examples("unsafe"), "--scratch", Scratch, "--rows", "1000", "--format", "json");

        Assert.True(result.ExitCode == 0, Describe(result));
        using var report = JsonDocument.Parse(result.StandardOutput);
        var findings = report.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (Rule: f.GetProperty("rule").GetString()!, Verdict: f.GetProperty("verdict").GetString()!))
            .ToList();
        Assert.Equal(
            LockAndRewriteRules.Order(StringComparer.Ordinal),
            findings.Where(f => f.Verdict == "confirmed").Select(f => f.Rule).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(findings, f => f.Verdict == "not-confirmed");
        Assert.Empty(report.RootElement.GetProperty("unreported").EnumerateArray());
        Assert.Equal(1000, report.RootElement.GetProperty("rowsPerTable").GetInt32());

        // every statement of the folder was traced; the index build was seen holding SHARE on a seeded table
        var statements = report.RootElement.GetProperty("statements").EnumerateArray().ToList();
        var index = Assert.Single(statements, s => s.GetProperty("sql").GetString()!.StartsWith("CREATE INDEX", StringComparison.Ordinal));
        Assert.Contains(index.GetProperty("locks").EnumerateArray(), l => l.GetProperty("relation").GetString() == "users" && l.GetProperty("mode").GetString() == "ShareLock");
        Assert.Equal(0L, await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Ctrl_c_during_trace_drops_the_scratch_database()
    {
        Assert.Equal(0L, await ScratchDatabasesAsync());
        ChildProcessResult result;
        await using (var trace = Stepwise.Start(_dir, "trace", "--dir", Examples("unsafe"), "--scratch", Scratch, "--rows", "2000000"))
        {
            // interrupt while the tables are being seeded (2M rows take far longer than the wait)
            await trace.WaitForOutputAsync(s => s.Contains("seed", StringComparison.OrdinalIgnoreCase), "a seeding progress line", TimeSpan.FromSeconds(60));
            Assert.Equal(1L, await ScratchDatabasesAsync());
            trace.Interrupt();
            result = await trace.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        output.WriteLine(Describe(result));
        PgScenario.AssertNoPassword(result, "trace");
        Assert.Equal(130, result.ExitCode);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0L, await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Verify_passes_examples_safe_and_reports_a_down_that_leaves_a_table()
    {
        var safe = await RunAsync("verify", "--dir", Examples("safe"), "--scratch", Scratch);
        Assert.True(safe.ExitCode == 0, Describe(safe));
        Assert.Contains("every down restores the schema and the rows", safe.StandardOutput, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_dir, "0001_users.up.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n");
        File.WriteAllText(Path.Combine(_dir, "0001_users.down.sql"), "DROP TABLE users;\n");
        File.WriteAllText(Path.Combine(_dir, "0002_audit.up.sql"), "CREATE TABLE audit (id bigint PRIMARY KEY);\nCREATE INDEX users_name ON users (name);\n");
        File.WriteAllText(Path.Combine(_dir, "0002_audit.down.sql"), "DROP INDEX users_name;\n");
        var broken = await RunAsync("verify", "--dir", _dir, "--scratch", Scratch, "--format", "json");

        Assert.True(broken.ExitCode == 1, Describe(broken));
        Assert.Contains("audit", broken.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0L, await ScratchDatabasesAsync());
    }

    [Fact]
    public async Task Diff_reports_a_column_added_by_hand_and_leaves_the_live_database_as_it_was()
    {
        var live = await fixture.CreateDatabaseAsync();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(live).Database!;
        var url = fixture.Server.PasswordUrlFor(database);
        File.WriteAllText(Path.Combine(_dir, "0001_users.up.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n");
        var up = await RunAsync("up", "--dir", _dir, "--database", url);
        Assert.True(up.ExitCode == 0, Describe(up));

        var clean = await RunAsync("diff", "--dir", _dir, "--database", url, "--scratch", Scratch);
        Assert.True(clean.ExitCode == 0, Describe(clean));

        await fixture.Server.ExecuteAsync("ALTER TABLE users ADD COLUMN hotfix_flag boolean", database);
        var columns = await fixture.Server.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users'", database);
        var drift = await RunAsync("diff", "--dir", _dir, "--database", url, "--scratch", Scratch);

        Assert.True(drift.ExitCode == 1, Describe(drift));
        Assert.Contains("hotfix_flag", drift.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(columns, await fixture.Server.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users'", database));
        Assert.Equal(0L, await ScratchDatabasesAsync());
    }

    private async Task<ChildProcessResult> RunAsync(params string[] args)
    {
        var result = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(120), args);
        PgScenario.AssertNoPassword(result, args[0]);
        return result;
    }

    private Task<long> ScratchDatabasesAsync() => ScalarLongAsync("SELECT count(*) FROM pg_database WHERE datname LIKE 'stepwise\\_scratch\\_%'");

    private async Task<long> ScalarLongAsync(string sql) => Convert.ToInt64(await fixture.Server.ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(ChildProcessResult result) => PgScenario.Describe(result);

    private static string Examples(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", name);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("examples/" + name + " not found above " + AppContext.BaseDirectory);
    }
}
