using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests;

/// <summary>PostgreSQL's own ability: an index left INVALID by a failed CREATE UNIQUE INDEX CONCURRENTLY is found
/// and dropped.</summary>
[Collection("postgres")]
public sealed class InvalidIndexCleanupTests(PostgresFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task An_index_left_invalid_by_a_failed_concurrent_build_is_found_and_dropped()
    {
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(An_index_left_invalid_by_a_failed_concurrent_build_is_found_and_dropped));
        await db.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY, email text)", "INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b')", "CREATE INDEX t_id_valid ON t (id)");
        var engine = await db.ConnectAsync();
        var cleanup = engine.Ability<IInvalidIndexCleanup>();
        Assert.NotNull(cleanup);

        var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteAsync(
            "CREATE UNIQUE INDEX CONCURRENTLY t_email_key ON t (email)", new ExecutionLimits(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)), None));
        Assert.Equal("23505", ex.SqlState); // duplicate key
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 't_email_key' AND NOT i.indisvalid"));

        // valid indexes and unknown names are not reported
        Assert.Equal(["public.t_email_key"], await cleanup.FindInvalidIndexesAsync(["t_email_key", "t_id_valid", "no_such_index"], None));

        await cleanup.DropInvalidIndexAsync("public.t_email_key", None);
        Assert.Empty(await cleanup.FindInvalidIndexesAsync(["t_email_key"], None));
        Assert.Equal(0, await db.CountAsync("SELECT count(*) FROM pg_class WHERE relname = 't_email_key'"));
        Assert.Equal(1, await db.CountAsync("SELECT count(*) FROM pg_class WHERE relname = 't_id_valid'"));
    }
}
