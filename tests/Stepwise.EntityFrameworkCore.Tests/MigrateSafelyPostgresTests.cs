using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Testing;

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary><c>MigrateSafelyAsync</c> against a real PostgreSQL server: EF's history stays EF's.</summary>
[Collection("postgres")]
public sealed class MigrateSafelyPostgresTests(PostgresFixture fixture)
{
    private static readonly string[] s_safe = ["20250101000000_Initial", "20250102000000_AddNickname", "20250103000000_IndexEmailConcurrently"];

    /// <summary>A fresh database; the context logs in with the password user (scram), as an application does.</summary>
    internal static async Task<string> DatabaseAsync(PostgresFixture fixture, string test)
    {
        var superuser = await fixture.CreateDatabaseAsync(test);
        return fixture.Server.PasswordConnectionStringFor(new NpgsqlConnectionStringBuilder(superuser).Database!);
    }

    internal static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> AppliedAsync(DbContext db) => [.. await db.Database.GetAppliedMigrationsAsync()];

    [Fact]
    public async Task Pending_migrations_are_applied_EF_agrees_and_a_second_call_is_a_no_op()
    {
        var cs = await DatabaseAsync(fixture, nameof(Pending_migrations_are_applied_EF_agrees_and_a_second_call_is_a_no_op));
        await using var db = TestContext.Postgres<SafeContext>(cs);
        Assert.Empty(await AppliedAsync(db));
        Assert.Equal(s_safe, await db.Database.GetPendingMigrationsAsync());

        var result = await db.Database.MigrateSafelyAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(s_safe, result.Applied);
        Assert.Equal(s_safe, await AppliedAsync(db));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // the rows EF itself writes: its product version beside each id
        Assert.Equal(3L, await ScalarAsync<long>(cs, $"SELECT count(*) FROM \"__EFMigrationsHistory\" WHERE \"ProductVersion\" = '{ProductInfo.GetVersion()}'"));
        // the CONCURRENTLY builds (Npgsql's annotation and suppressTransaction SQL) ran outside a transaction
        // (inside one PostgreSQL refuses them) and left valid indexes
        Assert.Equal(2L, await ScalarAsync<long>(cs, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('IX_Users_Email', 'IX_Users_Name') AND i.indisvalid"));

        var again = await db.Database.MigrateSafelyAsync();
        Assert.Equal(RunOutcome.Ok, again.Outcome);
        Assert.Empty(again.Applied);
        Assert.Equal(s_safe, await AppliedAsync(db));

        // and EF's own migrator finds nothing to do either
        await db.Database.MigrateAsync();
        Assert.Equal(3L, await ScalarAsync<long>(cs, "SELECT count(*) FROM \"__EFMigrationsHistory\""));
    }

    [Fact]
    public async Task Migrations_EF_applied_are_skipped_and_the_rest_applied()
    {
        var cs = await DatabaseAsync(fixture, nameof(Migrations_EF_applied_are_skipped_and_the_rest_applied));
        await using var db = TestContext.Postgres<SafeContext>(cs);
        await db.Database.MigrateAsync(s_safe[0]);
        Assert.Equal<string>([s_safe[0]], await AppliedAsync(db));

        var result = await db.Database.MigrateSafelyAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(s_safe[1..], result.Applied);
        Assert.Equal(s_safe, await AppliedAsync(db));
    }

    [Fact]
    public async Task An_unsafe_pending_migration_is_refused_and_nothing_is_applied_unless_allowed()
    {
        var cs = await DatabaseAsync(fixture, nameof(An_unsafe_pending_migration_is_refused_and_nothing_is_applied_unless_allowed));
        await using var db = TestContext.Postgres<PlainIndexContext>(cs);

        var refused = await db.Database.MigrateSafelyAsync();

        Assert.Equal(RunOutcome.ActionNeeded, refused.Outcome);
        var lint = Assert.IsType<EfLintRefused>(Assert.Single(refused.Problems));
        var finding = Assert.Single(lint.Report.Findings);
        Assert.Equal("20250202000000_AddEmailIndex", finding.MigrationId);
        Assert.Equal("non-concurrent-index", finding.Rule);
        Assert.Empty(refused.Applied);
        Assert.Empty(await AppliedAsync(db));
        Assert.False(await ScalarAsync<bool>(cs, "SELECT to_regclass('\"Users\"') IS NOT NULL"), "the safe first migration must not run either");
        var thrown = Assert.Throws<MigrateSafelyException>(() => refused.EnsureSuccess());
        Assert.Contains("20250202000000_AddEmailIndex", thrown.Message, StringComparison.Ordinal);

        var allowed = await db.Database.MigrateSafelyAsync(new MigrateSafelyOptions { AllowUnsafe = true });

        Assert.True(allowed.Succeeded, allowed.ToString());
        Assert.Equal<string>(["20250101000000_Initial", "20250202000000_AddEmailIndex"], await AppliedAsync(db));
    }

    [Fact]
    public async Task A_failing_statement_is_a_typed_result_with_the_migration_and_statement_and_nothing_of_it_stays()
    {
        var cs = await DatabaseAsync(fixture, nameof(A_failing_statement_is_a_typed_result_with_the_migration_and_statement_and_nothing_of_it_stays));
        await using var db = TestContext.Postgres<FailingContext>(cs);

        var result = await db.Database.MigrateSafelyAsync();

        Assert.Equal(RunOutcome.ActionNeeded, result.Outcome);
        Assert.Equal<string>(["20250101000000_Initial"], result.Applied);
        var failure = Assert.IsType<EfMigrationFailure>(result.Failure);
        Assert.Equal("20250202000000_BrokenAlter", failure.MigrationId);
        Assert.Equal(1, failure.StatementIndex);
        Assert.Equal(2, failure.StatementCount);
        Assert.Contains("\"Missing\"", failure.Statement, StringComparison.Ordinal);
        Assert.Equal("42P01", failure.SqlState);
        Assert.Equal(ErrorKind.DoesNotExist, failure.Kind);
        Assert.Equal(0, failure.StatementsApplied);
        // one transaction with EF's history row: the column added before the failure was rolled back with it
        Assert.Equal<string>(["20250101000000_Initial"], await AppliedAsync(db));
        Assert.Equal(0L, await ScalarAsync<long>(cs, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'Users' AND column_name = 'Nickname'"));
        Assert.Throws<MigrateSafelyException>(() => result.EnsureSuccess());
    }

    [Fact]
    public async Task Two_calls_at_once_apply_each_migration_once()
    {
        var cs = await DatabaseAsync(fixture, nameof(Two_calls_at_once_apply_each_migration_once));
        await using var first = TestContext.Postgres<SafeContext>(cs);
        await using var second = TestContext.Postgres<SafeContext>(cs);

        var results = await Task.WhenAll(
            Task.Run(() => first.Database.MigrateSafelyAsync()),
            Task.Run(() => second.Database.MigrateSafelyAsync()));

        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
        Assert.Equal(s_safe, results.SelectMany(r => r.Applied).Order(StringComparer.Ordinal));
        Assert.Equal(s_safe, await AppliedAsync(first));
    }

    [Fact]
    public async Task A_context_on_another_provider_or_in_memory_is_refused_as_input()
    {
        await using var memory = TestContext.Sqlite<SqliteSafeContext>();
        var result = await memory.Database.MigrateSafelyAsync();
        Assert.Equal(RunOutcome.InputError, result.Outcome);
        Assert.IsType<EfNotSupported>(Assert.Single(result.Problems));
    }
}
