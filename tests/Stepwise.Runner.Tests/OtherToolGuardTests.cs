using Microsoft.Data.Sqlite;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>`up` on a database another tool migrated, with no Stepwise journal yet: it stops before running
/// anything and names the `baseline --from` command, instead of failing on "relation already exists".</summary>
public sealed class OtherToolGuardSqliteTests : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-guard-");

    public void Dispose() => _folder.Dispose();

    private string DbPath => Path.Combine(_folder.Root, "app.db");

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ConnectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ConnectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Theory]
    [InlineData("dbmate")]
    [InlineData("goose")]
    [InlineData("diesel")]
    [InlineData("flyway")]
    public async Task Up_on_another_tools_database_stops_and_names_the_baseline_command(string tool)
    {
        var (_, layout) = BaselineScenario.WriteFolder(_folder, tool, BaselineScenario.Db.Sqlite);
        foreach (var sql in BaselineScenario.History(tool, BaselineScenario.Db.Sqlite))
        {
            Execute(sql);
        }

        var up = await _folder.RunAsync("up", "--layout", layout, "--database", "sqlite:" + DbPath);

        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains($"`stepwise baseline --from {tool}`", up.StandardError, StringComparison.Ordinal);
        Assert.Contains("nothing was run", up.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'base_c'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM stepwise_migrations"));

        // the command it names works, and up then runs the rest
        var baseline = await _folder.RunAsync("baseline", "--from", tool, "--layout", layout, "--database", "sqlite:" + DbPath);
        Assert.True(baseline.ExitCode == 0, LayoutFolder.Show(baseline));
        var again = await _folder.RunAsync("up", "--layout", layout, "--database", "sqlite:" + DbPath);
        Assert.True(again.ExitCode == 0, LayoutFolder.Show(again));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sqlite_master WHERE name = 'base_d'"));
    }

    [Fact]
    public async Task A_shared_table_name_names_the_folders_own_tool_first()
    {
        // golang-migrate and dbmate both call their table schema_migrations
        BaselineScenario.WriteFolder(_folder, "golang-migrate", BaselineScenario.Db.Sqlite);
        foreach (var sql in BaselineScenario.History("golang-migrate", BaselineScenario.Db.Sqlite))
        {
            Execute(sql);
        }

        var up = await _folder.RunAsync("up", "--layout", "golang-migrate", "--database", "sqlite:" + DbPath);

        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains("`stepwise baseline --from golang-migrate` (or `--from dbmate`)", up.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_table_that_shares_a_history_tables_name_does_not_stop_up()
    {
        _folder.Write("0001_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        Execute("CREATE TABLE gorp_migrations (name TEXT, note TEXT)"); // no id column: not sql-migrate's
        Execute("INSERT INTO gorp_migrations VALUES ('x', 'y')");
        Execute("CREATE TABLE kysely_migration (name TEXT, timestamp TEXT)"); // kysely's shape, but empty

        var up = await _folder.RunAsync("up", "--database", "sqlite:" + DbPath);

        Assert.True(up.ExitCode == 0, LayoutFolder.Show(up));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM stepwise_migrations"));
    }

    [Fact]
    public async Task A_database_with_a_stepwise_journal_is_not_checked_again()
    {
        _folder.Write("0001_a.up.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\n");
        var first = await _folder.RunAsync("up", "--database", "sqlite:" + DbPath);
        Assert.True(first.ExitCode == 0, LayoutFolder.Show(first));

        Execute("CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
        Execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000000')");
        _folder.Write("0002_b.up.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\n");

        var second = await _folder.RunAsync("up", "--database", "sqlite:" + DbPath);
        Assert.True(second.ExitCode == 0, LayoutFolder.Show(second));
        Assert.Equal(2, Count("SELECT COUNT(*) FROM stepwise_migrations"));
    }
}

/// <summary>The same on PostgreSQL (drizzle's table lives in its own schema there).</summary>
[Collection("postgres")]
public sealed class OtherToolGuardPostgresTests(PostgresFixture fixture) : IDisposable
{
    private readonly LayoutFolder _folder = new("stepwise-guard-pg-");

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("drizzle")]
    [InlineData("prisma")]
    [InlineData("sqlx")]
    [InlineData("kysely")]
    public async Task Up_on_another_tools_database_stops_and_names_the_baseline_command(string tool)
    {
        var db = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("guard_" + tool)).Database!;
        var (_, layout) = BaselineScenario.WriteFolder(_folder, tool, BaselineScenario.Db.Postgres);
        foreach (var sql in BaselineScenario.History(tool, BaselineScenario.Db.Postgres))
        {
            await fixture.Server.ExecuteAsync(sql, db);
        }

        var up = await _folder.RunAsync("up", "--layout", layout, "--database", fixture.Server.UrlFor(db));

        Assert.True(up.ExitCode == 1, LayoutFolder.Show(up));
        Assert.Contains($"`stepwise baseline --from {tool}`", up.StandardError, StringComparison.Ordinal);
        Assert.Equal(0L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT COUNT(*) FROM pg_class WHERE relname = 'base_c'", db), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT COUNT(*) FROM stepwise_migrations", db), System.Globalization.CultureInfo.InvariantCulture));
    }
}
