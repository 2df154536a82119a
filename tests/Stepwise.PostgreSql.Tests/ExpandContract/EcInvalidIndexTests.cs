using Stepwise.Engines;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>An index build interrupted during expand (left INVALID) is rebuilt by the rerun and dropped by abort.</summary>
[Collection("postgres")]
public sealed class EcInvalidIndexTests(PostgresFixture fixture)
{
    [Fact]
    public async Task An_invalid_copy_is_rebuilt_on_rerun_and_dropped_by_abort()
    {
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(An_invalid_copy_is_rebuilt_on_rerun_and_dropped_by_abort));
        await db.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY, a text, n int)", "CREATE INDEX t_a_idx ON t (a)", "INSERT INTO t VALUES (1, 'x', 1), (2, 'y', 1)");
        var before = await EcHarness.SnapshotAsync(db);
        var plan = await EcHarness.PlanAsync(db, "v9", new EcRenameColumn("t", "a", "b"));
        const string copy = "_sw_v9_t_a_idx";
        async Task LeaveInvalidCopyAsync()
        {
            await EcHarness.RunAsync(db, plan.Expand.Take(1));
            await Assert.ThrowsAnyAsync<Exception>(() => db.ExecuteAsync($"CREATE UNIQUE INDEX CONCURRENTLY \"{copy}\" ON t (n)")); // duplicates: left INVALID
            Assert.Equal(1, await db.CountAsync($"SELECT count(*) FROM pg_index WHERE indexrelid = '\"{copy}\"'::regclass AND NOT indisvalid"));
        }

        await LeaveInvalidCopyAsync();
        await EcHarness.RunAsync(db, plan.Abort);
        Assert.Equal(before, await EcHarness.SnapshotAsync(db));

        await LeaveInvalidCopyAsync();
        await EcHarness.RunAsync(db, plan.Expand.Skip(1));
        Assert.Equal("CREATE INDEX _sw_v9_t_a_idx ON public.t USING btree (b)", await db.ScalarAsync($"SELECT pg_get_indexdef('\"{copy}\"'::regclass) || CASE WHEN indisvalid THEN '' ELSE ' INVALID' END FROM pg_index WHERE indexrelid = '\"{copy}\"'::regclass"));
        await EcHarness.RunAsync(db, plan.Abort);
        Assert.Equal(before, await EcHarness.SnapshotAsync(db));
    }
}
