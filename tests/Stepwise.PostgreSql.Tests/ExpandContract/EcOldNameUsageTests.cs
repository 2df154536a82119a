using Npgsql;
using Stepwise.Engines;
using Stepwise.Engines.Conformance;
using Stepwise.PostgreSql.ExpandContract;
using Stepwise.Testing;

namespace Stepwise.PostgreSql.Tests.ExpandContract;

/// <summary>The guard before contract on PostgreSQL: pg_stat_statements plus recorded looks.</summary>
[Collection("postgres")]
public sealed class EcOldNameUsageTests(PostgresFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Without_pg_stat_statements_the_guard_says_why()
    {
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(Without_pg_stat_statements_the_guard_says_why));
        var usage = (await db.ConnectAsync()).Ability<IOldNameUsage>();
        Assert.NotNull(usage);
        Assert.Contains("pg_stat_statements extension is not installed", await usage.UnavailableBecauseAsync(None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_statement_using_an_old_name_is_recent_until_a_quiet_period_shows_no_new_calls()
    {
        await using var db = await new PostgresTarget(fixture).CreateDatabaseAsync(nameof(A_statement_using_an_old_name_is_recent_until_a_quiet_period_shows_no_new_calls));
        await using (var admin = new NpgsqlConnection(fixture.Server.ConnectionStringFor((string)(await db.ScalarAsync("SELECT current_database()"))!)))
        {
            await admin.OpenAsync();
            await RawSql.ExecuteAsync(admin, "CREATE EXTENSION pg_stat_statements");
        }

        await db.ExecuteAsync("CREATE TABLE t (id int, a text, b text)", "SELECT a FROM t WHERE id = 1", "SELECT a FROM t WHERE id = 2", "SELECT b FROM t WHERE id = 3");
        var usage = (await db.ConnectAsync()).Ability<IOldNameUsage>()!;

        // a user that cannot read other users' statement texts cannot tell (no false all-clear)
        var user = (string)(await db.ScalarAsync("SELECT current_user"))!;
        await using (var admin = new NpgsqlConnection(fixture.Server.ConnectionStringFor("postgres")))
        {
            await admin.OpenAsync();
            await RawSql.ExecuteAsync(admin, $"REVOKE pg_read_all_stats FROM \"{user}\"");
            Assert.Contains("pg_read_all_stats", await usage.UnavailableBecauseAsync(None), StringComparison.Ordinal);
            await RawSql.ExecuteAsync(admin, $"GRANT pg_read_all_stats TO \"{user}\"");
        }

        Assert.Null(await usage.UnavailableBecauseAsync(None));
        EcOldName[] names = [new("t", "a")];

        // first look: nothing proves quiet yet
        var first = await usage.RecentUsesAsync(names, TimeSpan.Zero, None);
        var use = Assert.Single(first);
        Assert.Contains("SELECT a FROM t", use.Query, StringComparison.Ordinal);
        Assert.Equal(2, use.Calls);

        // no call since a look at least the quiet period (0) old: quiet
        Assert.Empty(await usage.RecentUsesAsync(names, TimeSpan.Zero, None));

        // a new call: recent again; with a long quiet period no look is old enough
        await db.ExecuteAsync("SELECT a FROM t WHERE id = 4");
        Assert.Equal(3, Assert.Single(await usage.RecentUsesAsync(names, TimeSpan.Zero, None)).Calls);
        Assert.Single(await usage.RecentUsesAsync(names, TimeSpan.FromHours(1), None));
        Assert.Empty(await usage.RecentUsesAsync([new("t", "nope")], TimeSpan.Zero, None));
    }

    [Fact]
    public void Old_names_are_matched_by_tokens()
    {
        EcOldName[] column = [new("t", "a")];
        Assert.True(PostgresOldNameUsage.UsesAny("SELECT \"a\" FROM public.t WHERE id = $1", column));
        Assert.False(PostgresOldNameUsage.UsesAny("SELECT ta FROM t", column));
        Assert.False(PostgresOldNameUsage.UsesAny("ALTER TABLE t RENAME COLUMN a TO b", column));
        Assert.False(PostgresOldNameUsage.UsesAny("UPDATE t SET b = $1 -- a", column));
        Assert.False(PostgresOldNameUsage.UsesAny("UPDATE t SET \"_sw_v1_a\" = a", column));
        Assert.True(PostgresOldNameUsage.UsesAny("INSERT INTO old_t VALUES ($1)", [new("old_t", null)]));
    }
}
