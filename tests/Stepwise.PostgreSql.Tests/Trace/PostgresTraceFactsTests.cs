using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.Trace;

/// <summary>ZERO-DOWNTIME.md's PostgreSQL table checked against the tracer on the suite's PostgreSQL (Debian's 15),
/// row by row: the strongest lock on the table, rewrite, index rebuild, scan.</summary>
[Collection("postgres")]
public sealed class PostgresTraceFactsTests(PostgresFixture fixture)
{
    public static TheoryData<string> Facts => [.. PostgresFact.All.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(Facts))]
    public async Task The_documented_lock_and_rewrite_is_what_the_tracer_sees(string name)
    {
        var fact = PostgresFact.All.Single(f => f.Name == name);
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync("fact");
        await db.ExecuteAsync([.. PostgresFact.Setup, .. fact.Prepare ?? []]);
        var engine = await db.ConnectAsync();

        var (trace, wrong) = await PostgresFactCheck.CheckAsync(engine, fact);

        Assert.True(wrong.Count == 0, $"{fact.Name}: {string.Join("; ", wrong)}");
        Assert.True(trace.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_lock_released_before_the_statement_ends_is_seen_with_how_long_it_was_held()
    {
        // a CONCURRENTLY build outside a transaction: its ShareUpdateExclusiveLock is gone when the statement
        // returns, so only polling during the statement can see it
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(A_lock_released_before_the_statement_ends_is_seen_with_how_long_it_was_held));
        await db.ExecuteAsync("CREATE TABLE big (id int PRIMARY KEY, v text)", "INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, 200000) g");
        var engine = await db.ConnectAsync();
        var tracer = engine.Ability<IStatementTracer>()!;

        var trace = await tracer.TraceAsync("CREATE INDEX CONCURRENTLY big_v ON big (v)", TraceOptions.Default with { InTransaction = false }, CancellationToken.None);

        Assert.Null(trace.Error);
        var lockOnBig = Assert.Single(trace.Locks, l => l.Relation == "big" && l.Mode == "ShareUpdateExclusiveLock");
        Assert.Equal(BlockedStatements.None, lockOnBig.Blocks);
        Assert.True(lockOnBig.Held > TimeSpan.FromMilliseconds(20), $"held {lockOnBig.Held.TotalMilliseconds} ms of {trace.Duration.TotalMilliseconds} ms");
        Assert.Contains(trace.Storage, s => s.Relation == "big_v" && s.Kind == StorageChangeKind.Created && s.Table == "big");
        Assert.False(trace.Rewrite);
        Assert.DoesNotContain(trace.Locks, l => l.Relation == "big" && l.Mode == "ShareLock");
    }

    [Fact]
    public async Task A_failing_statement_is_a_result_and_leaves_nothing_behind()
    {
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(A_failing_statement_is_a_result_and_leaves_nothing_behind));
        await db.ExecuteAsync("CREATE TABLE t (id int)", "INSERT INTO t VALUES (1), (NULL)");
        var engine = await db.ConnectAsync();

        var trace = await engine.Ability<IStatementTracer>()!.TraceAsync("ALTER TABLE t ALTER COLUMN id SET NOT NULL", TraceOptions.Default, CancellationToken.None);

        Assert.StartsWith("23502", trace.Error, StringComparison.Ordinal);
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND is_nullable = 'YES'"));
        // the session is usable afterwards
        var next = await engine.Ability<IStatementTracer>()!.TraceAsync("ALTER TABLE t ADD COLUMN c int", TraceOptions.Default, CancellationToken.None);
        Assert.Null(next.Error);
    }
}
