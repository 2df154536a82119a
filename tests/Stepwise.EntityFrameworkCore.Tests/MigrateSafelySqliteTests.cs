using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Stepwise.Migrations.Running;

namespace Stepwise.EntityFrameworkCore.Tests;

/// <summary><c>MigrateSafelyAsync</c> on a SQLite file.</summary>
public sealed class MigrateSafelySqliteTests : IDisposable
{
    private static readonly string[] s_ids = ["20250101000000_Initial", "20250202000000_AddNickname", "20250303000000_NicknameNote"];

    private readonly string _folder = Directory.CreateTempSubdirectory("stepwise-ef-").FullName;

    private string Db => Path.Combine(_folder, "app.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Pending_migrations_are_applied_EF_agrees_and_a_second_call_is_a_no_op()
    {
        await using var db = TestContext.SqliteFile<SqliteApplyContext>(Db);
        await db.Database.MigrateAsync(s_ids[0]);
        Assert.Equal<string>([s_ids[0]], await db.Database.GetAppliedMigrationsAsync());
        await db.Database.ExecuteSqlRawAsync("INSERT INTO \"Users\" (\"Email\") VALUES ('a@example.com')");

        var result = await db.Database.MigrateSafelyAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(s_ids[1..], result.Applied);
        Assert.Equal(s_ids, await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // the transaction-suppressed UPDATE ran too
        Assert.Equal("none", await db.Database.SqlQueryRaw<string>("SELECT \"Note\" AS \"Value\" FROM \"Users\"").SingleAsync());

        var again = await db.Database.MigrateSafelyAsync();
        Assert.Equal(RunOutcome.Ok, again.Outcome);
        Assert.Empty(again.Applied);
        await db.Database.MigrateAsync(); // EF's own migrator agrees: nothing to do
        Assert.Equal(s_ids, await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_new_database_file_is_created_as_EF_creates_it()
    {
        await using var db = TestContext.SqliteFile<SqliteApplyContext>(Db);

        var result = await db.Database.MigrateSafelyAsync();

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(s_ids, result.Applied);
        Assert.True(File.Exists(Db));
        Assert.Equal(s_ids, await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Two_calls_at_once_apply_each_migration_once()
    {
        await using (var create = TestContext.SqliteFile<SqliteApplyContext>(Db))
        {
            await create.Database.MigrateAsync(s_ids[0]);
        }

        await using var first = TestContext.SqliteFile<SqliteApplyContext>(Db);
        await using var second = TestContext.SqliteFile<SqliteApplyContext>(Db);
        var results = await Task.WhenAll(
            Task.Run(() => first.Database.MigrateSafelyAsync()),
            Task.Run(() => second.Database.MigrateSafelyAsync()));

        Assert.All(results, r => Assert.True(r.Succeeded, r.ToString()));
        Assert.Equal(s_ids[1..], results.SelectMany(r => r.Applied).Order(StringComparer.Ordinal));
        Assert.Equal(s_ids, await first.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task An_unsafe_migration_is_refused_unless_allowed()
    {
        await using var db = TestContext.SqliteFile<SqliteRenameContext>(Db);
        await db.Database.MigrateAsync("20250101000000_Initial");

        var refused = await db.Database.MigrateSafelyAsync();

        var lint = Assert.IsType<EfLintRefused>(Assert.Single(refused.Problems));
        Assert.All(lint.Report.Findings, f => Assert.Equal("20250808000000_SqliteRenameName", f.MigrationId));
        Assert.Equal<string>(["20250101000000_Initial"], await db.Database.GetAppliedMigrationsAsync());

        var allowed = await db.Database.MigrateSafelyAsync(new MigrateSafelyOptions { AllowUnsafe = true });
        Assert.True(allowed.Succeeded, allowed.ToString());
        Assert.Equal<string>(["20250808000000_SqliteRenameName"], allowed.Applied);
    }
}
