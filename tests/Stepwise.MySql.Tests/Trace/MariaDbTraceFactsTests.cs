using MySqlConnector;
using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.MySql.Tests.Trace;

/// <summary>docs/mariadb-alter-algorithms.md checked against the tracer on a MariaDB started with performance_schema
/// and its metadata-lock instrument on (its own server: the shared one runs with MariaDB's default, off).</summary>
public sealed class MariaDbTraceFactsTests : IAsyncLifetime
{
    private MariaDbServer? _server;

    public static TheoryData<string> Facts => [.. MariaDbFact.All.Select(f => f.Name)];

    public async Task InitializeAsync() =>
        _server = await MariaDbServer.StartAsync(["--performance-schema=ON", "--performance-schema-instrument=wait/lock/metadata/sql/mdl=ON"]);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(Facts))]
    public async Task The_documented_algorithm_and_rebuild_is_what_the_tracer_sees(string name)
    {
        var fact = MariaDbFact.All.Single(f => f.Name == name);
        await using var engine = await EngineAsync("fact", [.. MariaDbFact.Setup]);
        foreach (var sql in fact.Prepare ?? [])
        {
            await engine.Executor.ExecuteAsync(sql, new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.Zero), CancellationToken.None);
        }

        var trace = await engine.Ability<IStatementTracer>()!.TraceAsync(fact.Statement, TraceOptions.Default, CancellationToken.None);

        Assert.Null(trace.Error);
        Assert.Empty(trace.Notes);
        var rebuilt = trace.Storage.Any(s => !s.IsIndex && s.Relation == "t" && s.Kind == StorageChangeKind.Rewritten);
        Assert.True(
            (fact.Algorithm, fact.Rebuild) == (trace.Algorithm, rebuilt),
            $"{fact.Name}: expected {fact.Algorithm}{(fact.Rebuild ? " + rebuild" : string.Empty)}, saw {trace.Algorithm}{(rebuilt ? " + rebuild" : string.Empty)}; locks {string.Join(", ", trace.Locks.Select(l => l.Relation + ":" + l.Mode))}");

        // every ALTER is seen holding SHARED_UPGRADABLE on its table (DML continues); COPY's upgrade to
        // SHARED_NO_WRITE (writes blocked while it copies) is inferred, never shown by performance_schema
        Assert.Contains(trace.Locks, l => l.Relation == "t" && l.Mode == "SHARED_UPGRADABLE" && !l.Inferred && l.Blocks == BlockedStatements.None);
        Assert.Equal(fact.Algorithm == AlterAlgorithm.Copy, trace.Locks.Any(l => l.Relation == "t" && l.Blocks.HasFlag(BlockedStatements.Insert) && l.Held > TimeSpan.Zero));
    }

    [Fact]
    public async Task Without_performance_schema_the_trace_says_locks_were_not_observed()
    {
        await using var shared = await MariaDbServer.StartAsync();
        var database = new MySqlConnectionStringBuilder(await shared.CreateDatabaseAsync(DatabaseNames.Unique("no_ps"))).Database;
        Assert.True(DatabaseTarget.TryParse(shared.UrlFor(database), out var target, out var error), error);
        await using var engine = new MySqlEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        await engine.Executor.ExecuteAsync("CREATE TABLE t (id INT PRIMARY KEY, n INT)", new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.Zero), CancellationToken.None);

        var trace = await engine.Ability<IStatementTracer>()!.TraceAsync("ALTER TABLE t MODIFY n BIGINT", TraceOptions.Default, CancellationToken.None);

        Assert.Null(trace.Error);
        Assert.Empty(trace.Locks);
        Assert.Contains(trace.Notes, n => n.Contains("performance_schema", StringComparison.Ordinal));
        Assert.Equal(AlterAlgorithm.Copy, trace.Algorithm);
        Assert.True(trace.Rewrite);
    }

    private async Task<MySqlEngine> EngineAsync(string hint, string[] setup)
    {
        var server = _server!;
        var database = new MySqlConnectionStringBuilder(await server.CreateDatabaseAsync(DatabaseNames.Unique(hint))).Database;
        await using (var root = new MySqlConnection(server.ConnectionStringFor(database)))
        {
            await root.OpenAsync();
            foreach (var sql in setup)
            {
                await using var cmd = new MySqlCommand(sql, root);
                await cmd.ExecuteNonQueryAsync();
            }
        }

        Assert.True(DatabaseTarget.TryParse(server.UrlFor(database), out var target, out var error), error);
        var engine = new MySqlEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        return engine;
    }
}
