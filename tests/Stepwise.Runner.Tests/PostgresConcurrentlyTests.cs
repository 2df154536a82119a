using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>CREATE INDEX CONCURRENTLY: outside a transaction, never waiting on stepwise's own lock, and never
/// leaving an INVALID index behind when it fails.</summary>
[Collection("postgres")]
public sealed class PostgresConcurrentlyTests(PostgresFixture fixture)
{
    private static void WriteUsers(PgScenario pg, bool duplicateEmails)
    {
        pg.Write("0001_users.up.sql", $"""
            CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL);
            INSERT INTO users (id, name, email) SELECT g, 'user ' || g, 'u' || {(duplicateEmails ? "(g % 50)" : "g")} || '@example.com' FROM generate_series(1, 200) g;

            """);
    }

    [Fact]
    public async Task Create_index_concurrently_runs_outside_a_transaction_and_completes()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteUsers(pg, duplicateEmails: false);
        pg.Write("0002_users_name_idx.up.sql", "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\n");

        var plan = await pg.RunAsync("up", "--dry-run");
        Assert.True(plan.ExitCode == 0, PgScenario.Describe(plan));
        Assert.Contains("would apply 0002 users_name_idx (1 statement(s), statement by statement: CREATE INDEX CONCURRENTLY cannot run inside a transaction)", plan.StandardOutput, StringComparison.Ordinal);

        // inside a transaction PostgreSQL would refuse it (25001); waiting on stepwise's own lock would hang it
        // until the 60 s timeout of the run
        var up = await pg.RunAsync("up");
        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
        Assert.Contains("[1/1] CREATE INDEX CONCURRENTLY users_name_idx", up.StandardError, StringComparison.Ordinal);
        Assert.True(await pg.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_name_idx'::regclass"));
        var row = (await pg.JournalAsync()).Single(j => j.Version == "0002");
        Assert.Equal("applied", row.State);
        Assert.Equal(1, row.StatementsDone);
    }

    [Fact]
    public async Task Create_index_concurrently_completes_while_another_runner_waits_for_the_migration_lock()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteUsers(pg, duplicateEmails: false);
        pg.Write("0002_slow_then_index.up.sql", "-- stepwise:no-transaction\nSELECT pg_sleep(2);\nCREATE INDEX CONCURRENTLY users_name_idx ON users (name);\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n");

        // the second runner polls for the lock with short transactions of its own the whole time the first builds
        await using var first = pg.Start("up");
        await first.WaitForOutputAsync("SELECT pg_sleep(2)", TimeSpan.FromSeconds(30));
        await using var second = pg.Start("up");
        var results = await Task.WhenAll(first.WaitForExitAsync(TimeSpan.FromSeconds(45)), second.WaitForExitAsync(TimeSpan.FromSeconds(45)));
        foreach (var result in results)
        {
            PgScenario.AssertNoPassword(result, "up");
            Assert.True(result.ExitCode == 0, PgScenario.Describe(result));
        }

        Assert.Contains("applied 2 migration(s)", results[0].StandardOutput, StringComparison.Ordinal);
        Assert.Contains("nothing to apply", results[1].StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0L, await pg.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        Assert.Equal(2L, await pg.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname IN ('users_name_idx', 'users_email_idx')"));
    }

    [Fact]
    public async Task Failed_unique_index_concurrently_leaves_no_invalid_index_and_repair_then_up_completes()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteUsers(pg, duplicateEmails: true);
        pg.Write("0002_users_indexes.up.sql", "CREATE INDEX CONCURRENTLY users_name_idx ON users (name);\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n");

        var up = await pg.RunAsync("up");
        Assert.Equal(1, up.ExitCode);
        var problem = Assert.Single(PgScenario.ProblemLines(up));
        Assert.Contains("0002 users_indexes failed at statement 2 of 2: CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email)", problem, StringComparison.Ordinal);
        Assert.Contains("23505", problem, StringComparison.Ordinal);
        // said once: the failure is not repeated as a progress line
        Assert.Single(up.StandardError.Split('\n'), l => l.Contains("failed at statement", StringComparison.Ordinal));
        Assert.Empty(await pg.InvalidIndexesAsync());
        Assert.Equal(0L, await pg.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'users_email_key'"));

        var row = (await pg.JournalAsync()).Single(j => j.Version == "0002");
        Assert.Equal("failed", row.State);
        Assert.Equal(1, row.StatementsDone);
        Assert.Equal(1, row.FailedStatementIndex);
        Assert.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY users_email_key", row.FailedStatement, StringComparison.Ordinal);
        Assert.Contains("23505", row.Error, StringComparison.Ordinal);

        // until repaired, up refuses and says which statement failed and what to do
        var again = await pg.RunAsync("up");
        Assert.Equal(1, again.ExitCode);
        var refusal = Assert.Single(PgScenario.ProblemLines(again));
        Assert.Contains("CREATE UNIQUE INDEX CONCURRENTLY users_email_key", refusal, StringComparison.Ordinal);
        Assert.Contains("stepwise repair", refusal, StringComparison.Ordinal);
        var validate = await pg.RunAsync("validate");
        Assert.Equal(1, validate.ExitCode);

        await pg.ExecuteAsync("DELETE FROM users WHERE id > 50");
        var repair = await pg.RunAsync("repair");
        Assert.True(repair.ExitCode == 0, PgScenario.Describe(repair));
        Assert.Contains("resume at statement 2", repair.StandardOutput, StringComparison.Ordinal);

        var fixedUp = await pg.RunAsync("up");
        Assert.True(fixedUp.ExitCode == 0, PgScenario.Describe(fixedUp));
        Assert.Contains("resuming 0002 users_indexes at statement 2", fixedUp.StandardError, StringComparison.Ordinal);
        Assert.Empty(await pg.InvalidIndexesAsync());
        Assert.True(await pg.ScalarAsync<bool>("SELECT indisunique AND indisvalid FROM pg_index WHERE indexrelid = 'users_email_key'::regclass"));
        Assert.All(await pg.JournalAsync(), j => Assert.Equal("applied", j.State));
    }
}
