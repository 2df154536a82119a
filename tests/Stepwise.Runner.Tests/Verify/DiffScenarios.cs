using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Schema;
using Stepwise.Migrations.Scratch;
using Stepwise.Migrations.Verify;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests.Verify;

/// <summary>`diff` on a real live database: nothing on an undrifted one; a column added by hand and an index
/// dropped by hand are reported; the live database is not changed.</summary>
public abstract class DiffScenarios : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-diff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    protected abstract Task<DatabaseTarget> LiveAsync(string test);

    protected abstract DatabaseTarget Server { get; }

    protected abstract string DropIndex { get; }

    private static async Task ExecuteAsync(DatabaseTarget target, string sql)
    {
        await using var engine = StepwiseMigrations.Engine(target);
        await engine.ConnectAsync(CancellationToken.None);
        await engine.Executor.ExecuteAsync(sql, new ExecutionLimits(TimeSpan.FromSeconds(10), TimeSpan.Zero), CancellationToken.None);
    }

    private async Task<DriftResult> DiffAsync(DatabaseTarget live)
    {
        await using var scratch = await ScratchDatabase.CreateAsync(Server, StepwiseMigrations.Engine, CancellationToken.None);
        var options = new RunnerOptions { Directory = _dir, Lint = new Analysis.LintOptions { Dialect = live.Dialect } };
        return await new MigrationVerifier(StepwiseMigrations.Engine).DiffAsync(options, live, scratch.Target, null, CancellationToken.None);
    }

    [Fact]
    public async Task Drift_by_hand_is_reported_and_an_undrifted_database_is_clean()
    {
        File.WriteAllText(Path.Combine(_dir, "0001_items.up.sql"), "CREATE TABLE items (id int PRIMARY KEY, a int);\n");
        File.WriteAllText(Path.Combine(_dir, "0001_items.down.sql"), "DROP TABLE items;\n");
        File.WriteAllText(Path.Combine(_dir, "0002_items_a.up.sql"), "CREATE INDEX items_a ON items (a);\n");
        File.WriteAllText(Path.Combine(_dir, "0002_items_a.down.sql"), DropIndex + ";\n");
        File.WriteAllText(Path.Combine(_dir, "0003_not_applied.up.sql"), "CREATE TABLE later (id int);\n");
        var live = await LiveAsync(nameof(Drift_by_hand_is_reported_and_an_undrifted_database_is_clean));
        var up = await StepwiseMigrations.Runner().UpAsync(new RunnerOptions { Directory = _dir, TargetVersion = "0002", AllowUnsafe = true, Lint = new Analysis.LintOptions { Dialect = live.Dialect } }, live, null, CancellationToken.None);
        Assert.Equal(RunOutcome.Ok, up.Outcome);

        var clean = await DiffAsync(live);
        Assert.Equal(VerifyOutcome.Clean, clean.Outcome);
        Assert.Equal(2, clean.Replayed); // 0003 is not applied there, so not replayed
        Assert.Empty(clean.Differences);

        await ExecuteAsync(live, "ALTER TABLE items ADD COLUMN hotfix int");
        await ExecuteAsync(live, DropIndex);
        var drift = await DiffAsync(live);
        Assert.Equal(VerifyOutcome.Problems, drift.Outcome);
        Assert.Equal(
            [(SchemaChangeKind.ColumnAdded, "hotfix"), (SchemaChangeKind.IndexRemoved, "items_a")],
            drift.Differences.Select(d => (d.Kind, d.Name)).ToList());

        // read-only on the live database: its journal still records two migrations
        var status = await StepwiseMigrations.Runner().StatusAsync(new RunnerOptions { Directory = _dir }, live, CancellationToken.None);
        Assert.Equal(2, status.Statuses.Count(s => s.State == MigrationStatusKind.Applied));
    }
}

[Collection("postgres")]
public sealed class PostgresDiffTests(PostgresFixture fixture) : DiffScenarios
{
    protected override DatabaseTarget Server => Parse(fixture.Server.Url);

    protected override string DropIndex => "DROP INDEX items_a";

    protected override async Task<DatabaseTarget> LiveAsync(string test) =>
        Parse(fixture.Server.UrlFor(new Npgsql.NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database!));

    private static DatabaseTarget Parse(string url)
    {
        Assert.True(DatabaseTarget.TryParse(url, out var target, out var error), error);
        return target!;
    }
}

[Collection("mariadb")]
public sealed class MariaDbDiffTests(MariaDbFixture fixture) : DiffScenarios
{
    protected override DatabaseTarget Server => Parse(fixture.Server.UrlFor("mysql"));

    protected override string DropIndex => "DROP INDEX items_a ON items";

    protected override async Task<DatabaseTarget> LiveAsync(string test) =>
        Parse(fixture.Server.UrlFor(new MySqlConnector.MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database));

    private static DatabaseTarget Parse(string url)
    {
        Assert.True(DatabaseTarget.TryParse(url, out var target, out var error), error);
        return target!;
    }
}
