using System.Globalization;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`baseline --from TOOL` on SQLite: records exactly what the other tool's history says, runs no SQL.</summary>
public sealed class BaselineSqliteTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-baseline-");

    public void Dispose() => _folder.Dispose();

    private string DbPath => Path.Combine(_folder.Root, "app.db");

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private Task<long> CountAsync(string sql)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Task.FromResult(Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture));
    }

    private Task<string[]> VersionsAsync()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT version FROM stepwise_migrations ORDER BY rowid";
        using var reader = cmd.ExecuteReader();
        var list = new List<string>();
        while (reader.Read())
        {
            list.Add(reader.GetString(0));
        }

        return Task.FromResult(list.ToArray());
    }

    [Theory]
    [InlineData("golang-migrate")]
    [InlineData("flyway")]
    [InlineData("prisma")]
    [InlineData("drizzle")]
    [InlineData("dbmate")]
    [InlineData("goose")]
    [InlineData("diesel")]
    [InlineData("sqlx")]
    [InlineData("kysely")]
    [InlineData("atlas")]
    [InlineData("liquibase")]
    [InlineData("pop")]
    [InlineData("dbup")]
    [InlineData("evolve")]
    [InlineData("grate")]
    public async Task Baseline_from_another_tool_records_its_applied_versions_and_up_runs_the_rest(string tool)
    {
        foreach (var sql in BaselineScenario.History(tool, BaselineScenario.Db.Sqlite))
        {
            Execute(sql);
        }

        await BaselineScenario.RunAsync(_folder, tool, BaselineScenario.Db.Sqlite, "sqlite:" + DbPath, CountAsync, VersionsAsync);
    }

    [Fact]
    public async Task Baseline_from_a_dirty_golang_migrate_database_refuses_and_records_nothing()
    {
        BaselineScenario.WriteFolder(_folder, "golang-migrate", BaselineScenario.Db.Sqlite);
        Execute("CREATE TABLE schema_migrations (version uint64, dirty bool)");
        Execute("INSERT INTO schema_migrations (version, dirty) VALUES (2, 1)");

        var baseline = await _folder.RunAsync("baseline", "--from", "golang-migrate", "--layout", "golang-migrate", "--database", "sqlite:" + DbPath);
        Assert.True(baseline.ExitCode == 1, LayoutFolder.Show(baseline));
        Assert.Contains("dirty", baseline.StandardError, StringComparison.Ordinal);
        Assert.Empty(await VersionsAsync());
    }

    [Fact]
    public async Task Versions_in_the_other_tools_history_without_a_file_are_named_not_dropped_silently()
    {
        BaselineScenario.WriteFolder(_folder, "dbmate", BaselineScenario.Db.Sqlite);
        foreach (var sql in BaselineScenario.History("dbmate", BaselineScenario.Db.Sqlite))
        {
            Execute(sql);
        }

        Execute("INSERT INTO schema_migrations (version) VALUES ('20231231000000')"); // its file was deleted long ago
        var baseline = await _folder.RunAsync("baseline", "--from", "dbmate", "--layout", "dbmate", "--database", "sqlite:" + DbPath);
        Assert.True(baseline.ExitCode == 0, LayoutFolder.Show(baseline));
        Assert.Contains("recorded 2 migration(s) as applied from dbmate's history", baseline.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("note: 1 version(s) in dbmate's history have no migration file", baseline.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("20231231000000", baseline.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["20240101000000", "20240102000000"], await VersionsAsync());
    }

    [Fact]
    public async Task Baseline_from_a_tool_whose_history_table_is_absent_is_an_input_error()
    {
        BaselineScenario.WriteFolder(_folder, "flyway", BaselineScenario.Db.Sqlite);
        var baseline = await _folder.RunAsync("baseline", "--from", "flyway", "--database", "sqlite:" + DbPath);
        Assert.True(baseline.ExitCode == 2, LayoutFolder.Show(baseline));
        Assert.Contains("no flyway history table found", baseline.StandardError, StringComparison.Ordinal);
    }
}

/// <summary>`baseline --from TOOL` on MariaDB.</summary>
[Collection("mariadb")]
public sealed class BaselineMariaDbTests(MariaDbFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-baseline-maria-");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("golang-migrate")]
    [InlineData("flyway")]
    [InlineData("prisma")]
    [InlineData("drizzle")]
    [InlineData("dbmate")]
    [InlineData("goose")]
    [InlineData("sql-migrate")]
    [InlineData("sqlx")]
    [InlineData("atlas")]
    [InlineData("liquibase")]
    [InlineData("pop")]
    [InlineData("dbup")]
    [InlineData("evolve")]
    [InlineData("grate")]
    public async Task Baseline_from_another_tool_records_its_applied_versions_and_up_runs_the_rest(string tool)
    {
        var db = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("baseline_" + tool)).Database;
        foreach (var sql in BaselineScenario.History(tool, BaselineScenario.Db.MariaDb))
        {
            await fixture.Server.ExecuteAsync(sql, db);
        }

        Task<string[]> Versions() => BaselineScenario.JournalVersionsAsync(new MySqlConnection(fixture.Server.ConnectionStringFor(db)));

        await BaselineScenario.RunAsync(_folder, tool, BaselineScenario.Db.MariaDb, fixture.Server.UrlFor(db),
            async sql => Convert.ToInt64(await fixture.Server.ScalarAsync(sql, db), CultureInfo.InvariantCulture), Versions);
    }
}

/// <summary>`baseline --from TOOL` on PostgreSQL (drizzle's table lives in the `drizzle` schema there).</summary>
[Collection("postgres")]
public sealed class BaselinePostgresTests(PostgresFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-baseline-pg-");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("golang-migrate")]
    [InlineData("flyway")]
    [InlineData("prisma")]
    [InlineData("drizzle")]
    [InlineData("dbmate")]
    [InlineData("goose")]
    [InlineData("sql-migrate")]
    [InlineData("diesel")]
    [InlineData("sqlx")]
    [InlineData("kysely")]
    [InlineData("atlas")]
    [InlineData("liquibase")]
    [InlineData("pop")]
    [InlineData("dbup")]
    [InlineData("evolve")]
    [InlineData("grate")]
    [InlineData("roundhouse")]
    public async Task Baseline_from_another_tool_records_its_applied_versions_and_up_runs_the_rest(string tool)
    {
        var db = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("baseline_" + tool)).Database!;
        foreach (var sql in BaselineScenario.History(tool, BaselineScenario.Db.Postgres))
        {
            await fixture.Server.ExecuteAsync(sql, db);
        }

        Task<string[]> Versions() => BaselineScenario.JournalVersionsAsync(new NpgsqlConnection(fixture.Server.ConnectionStringFor(db)));

        await BaselineScenario.RunAsync(_folder, tool, BaselineScenario.Db.Postgres, fixture.Server.UrlFor(db),
            async sql => Convert.ToInt64(await fixture.Server.ScalarAsync(sql, db), CultureInfo.InvariantCulture), Versions);
    }
}
