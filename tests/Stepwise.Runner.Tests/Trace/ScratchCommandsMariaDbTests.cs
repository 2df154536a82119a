using System.Globalization;
using System.Text.Json;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests.Trace;

/// <summary>`stepwise trace` on MariaDB as a user runs it: the real program, `--scratch` naming the server. The
/// report shows metadata locks, the algorithm and rebuilds; no scratch database is left, also after Ctrl-C.</summary>
[Collection("mariadb")]
public sealed class ScratchCommandsMariaDbTests(MariaDbFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sw-scratch-maria-").FullName;

    private string Scratch => fixture.Server.Url;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Trace_shows_a_copy_rebuild_under_an_exclusive_metadata_lock_and_an_instant_add()
    {
        // its own server: metadata locks are visible only with performance_schema and its MDL instrument on
        await using var server = await MariaDbServer.StartAsync(["--performance-schema=ON", "--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON"]);
        WriteFolder();
        var (result, report) = await TraceAsync(server.Url);

        using (report)
        {
            var statements = report.RootElement.GetProperty("statements").EnumerateArray().ToList();
            var modify = Assert.Single(statements, s => s.GetProperty("sql").GetString()!.Contains("MODIFY", StringComparison.Ordinal));
            Assert.Equal("COPY", modify.GetProperty("algorithm").GetString());
            Assert.True(modify.GetProperty("rewrite").GetBoolean());
            Assert.True(modify.GetProperty("locksObserved").GetBoolean());
            Assert.Contains(modify.GetProperty("locks").EnumerateArray(), l => l.GetProperty("relation").GetString() == "items" && l.GetProperty("mode").GetString() == "EXCLUSIVE");
            var add = Assert.Single(statements, s => s.GetProperty("sql").GetString()!.Contains("ADD COLUMN", StringComparison.Ordinal));
            Assert.Equal("INSTANT", add.GetProperty("algorithm").GetString());
            Assert.False(add.GetProperty("rewrite").GetBoolean());

            var findings = Findings(report);
            Assert.Contains(("changing-column-type", "confirmed"), findings);
            Assert.Contains(("mysql-unsafe-algorithm", "confirmed"), findings);
            Assert.DoesNotContain(findings, f => f.Verdict == "not-confirmed");
            Assert.Empty(report.RootElement.GetProperty("unreported").EnumerateArray());
            Assert.Empty(report.RootElement.GetProperty("notes").EnumerateArray());
        }

        Assert.Equal(0L, await ScratchDatabasesAsync(server));
    }

    [Fact]
    public async Task Without_performance_schema_the_report_says_locks_were_not_observed_and_judges_only_the_rebuild()
    {
        // the shared server runs with MariaDB's default: performance_schema off
        WriteFolder();
        var (_, report) = await TraceAsync(Scratch);

        using (report)
        {
            var notes = report.RootElement.GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
            Assert.Contains(notes, n => n.Contains("performance_schema is off", StringComparison.Ordinal) && n.Contains("3 statements", StringComparison.Ordinal));
            Assert.All(report.RootElement.GetProperty("statements").EnumerateArray(), s => Assert.False(s.GetProperty("locksObserved").GetBoolean()));

            // the COPY rebuild is still seen (InnoDB table ids), so its findings are confirmed; nothing is called
            // "not confirmed" for want of a lock the server could not show
            var findings = Findings(report);
            Assert.Contains(("changing-column-type", "confirmed"), findings);
            Assert.DoesNotContain(findings, f => f.Verdict == "not-confirmed");
        }

        Assert.Equal(0L, await ScratchDatabasesAsync(fixture.Server));
    }

    [Fact]
    public async Task Ctrl_c_during_trace_drops_the_scratch_database()
    {
        WriteFolder();
        Assert.Equal(0L, await ScratchDatabasesAsync(fixture.Server));
        ChildProcessResult result;
        await using (var trace = Stepwise.Start(_dir, "trace", "--dir", _dir, "--scratch", Scratch, "--rows", "3000000"))
        {
            await trace.WaitForOutputAsync(s => s.Contains("seeding", StringComparison.Ordinal), "a seeding progress line", TimeSpan.FromSeconds(60));
            Assert.Equal(1L, await ScratchDatabasesAsync(fixture.Server));
            trace.Interrupt();
            result = await trace.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        output.WriteLine(PgScenario.Describe(result));
        Assert.Equal(130, result.ExitCode);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(0L, await ScratchDatabasesAsync(fixture.Server));
    }

    private async Task<(ChildProcessResult Result, JsonDocument Report)> TraceAsync(string scratch)
    {
        var result = await Stepwise.RunAsync(_dir, TimeSpan.FromSeconds(120), "trace", "--dir", _dir, "--scratch", scratch, "--rows", "2000", "--format", "json");
        output.WriteLine(PgScenario.Describe(result));
        Assert.True(result.ExitCode == 0, PgScenario.Describe(result));
        return (result, JsonDocument.Parse(result.StandardOutput));
    }

    private static List<(string Rule, string Verdict)> Findings(JsonDocument report) => report.RootElement.GetProperty("findings").EnumerateArray()
        .Select(f => (f.GetProperty("rule").GetString()!, f.GetProperty("verdict").GetString()!)).ToList();

    private void WriteFolder()
    {
        File.WriteAllText(Path.Combine(_dir, "0001_items.up.sql"), "CREATE TABLE items (id bigint PRIMARY KEY, qty int NOT NULL, name varchar(20));\n");
        File.WriteAllText(Path.Combine(_dir, "0002_widen.up.sql"), "ALTER TABLE items MODIFY qty bigint NOT NULL;\nALTER TABLE items ADD COLUMN note text;\n");
    }

    private static async Task<long> ScratchDatabasesAsync(MariaDbServer server) => Convert.ToInt64(
        await server.ScalarAsync("SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'stepwise\\_scratch\\_%'"),
        CultureInfo.InvariantCulture);
}
