using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Schema;
using Stepwise.Migrations.Scratch;
using Stepwise.Migrations.Verify;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests.Verify;

/// <summary>`verify` on a real database of each engine: it finds a down that leaves what the up created, a down
/// that drops the wrong column, a missing down, an up that cannot run again after its down, and a down that
/// deletes rows that existed before the up; a correct history passes. Each test gets its own scratch database.</summary>
public abstract class VerifyScenarios : IDisposable
{
    private const string Items = "CREATE TABLE items (id int PRIMARY KEY, a int, b int);\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-verify-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A new empty scratch database on the engine's server.</summary>
    protected abstract Task<ScratchDatabase> ScratchAsync();

    protected static string RepositoryFolder(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }

        throw new InvalidOperationException("the repository root was not found");
    }

    protected async Task<VerifyResult> VerifyAsync(string? directory = null)
    {
        await using var scratch = await ScratchAsync();
        var options = new RunnerOptions { Directory = directory ?? _dir, Lint = new Analysis.LintOptions { Dialect = scratch.Target.Dialect } };
        return await new MigrationVerifier(StepwiseMigrations.Engine).VerifyAsync(options, scratch.Target, null, null, CancellationToken.None);
    }

    private void History(string up, string? down)
    {
        File.WriteAllText(Path.Combine(_dir, "0001_items.up.sql"), Items);
        File.WriteAllText(Path.Combine(_dir, "0001_items.down.sql"), "DROP TABLE items;\n");
        File.WriteAllText(Path.Combine(_dir, "0002_change.up.sql"), up);
        if (down is not null)
        {
            File.WriteAllText(Path.Combine(_dir, "0002_change.down.sql"), down);
        }
    }

    [Fact]
    public async Task A_down_that_does_not_drop_what_the_up_created_is_found()
    {
        History("CREATE TABLE extra (id int);\n", "SELECT 1;\n");
        var result = await VerifyAsync();

        Assert.Equal(VerifyOutcome.Problems, result.Outcome);
        var problem = Assert.Single(result.Problems, p => p.Kind == VerifyProblemKind.DownDoesNotRestore);
        Assert.Equal("0002", problem.Version);
        var added = Assert.Single(problem.Differences);
        Assert.Equal((SchemaChangeKind.TableAdded, "extra"), (added.Kind, added.Table));
        Assert.Contains(result.Problems, p => p.Kind == VerifyProblemKind.NotRerunnable && p.Version == "0002");
        Assert.Equal("0001", Assert.Single(result.Migrations).Version); // 0001 round-tripped cleanly
    }

    [Fact]
    public async Task A_down_that_drops_the_wrong_column_is_found()
    {
        History("ALTER TABLE items ADD COLUMN c int;\n", "ALTER TABLE items DROP COLUMN a;\n");
        var result = await VerifyAsync();

        var problem = Assert.Single(result.Problems, p => p.Kind == VerifyProblemKind.DownDoesNotRestore);
        Assert.Equal(
            [(SchemaChangeKind.ColumnRemoved, "a"), (SchemaChangeKind.ColumnAdded, "c")],
            problem.Differences.Select(d => (d.Kind, d.Name)).ToList());
    }

    [Fact]
    public async Task A_missing_down_is_found_and_the_history_goes_on()
    {
        History("ALTER TABLE items ADD COLUMN c int;\n", null);
        File.WriteAllText(Path.Combine(_dir, "0003_more.up.sql"), "ALTER TABLE items ADD COLUMN d int;\n");
        File.WriteAllText(Path.Combine(_dir, "0003_more.down.sql"), "ALTER TABLE items DROP COLUMN d;\n");
        var result = await VerifyAsync();

        var problem = Assert.Single(result.Problems);
        Assert.Equal((VerifyProblemKind.MissingDown, "0002"), (problem.Kind, problem.Version));
        Assert.Equal([("0001", true), ("0002", false), ("0003", true)], result.Migrations.Select(m => (m.Version, m.RoundTrip)).ToList());
    }

    [Fact]
    public async Task An_up_that_cannot_run_again_after_its_down_is_found()
    {
        // the down restores the schema but leaves the up's row: the second up hits the primary key
        History("INSERT INTO items (id, a, b) VALUES (1, 1, 1);\n", "SELECT 1;\n");
        var result = await VerifyAsync();

        var problem = Assert.Single(result.Problems);
        Assert.Equal((VerifyProblemKind.NotRerunnable, "0002"), (problem.Kind, problem.Version));
        Assert.NotNull(problem.Run?.Failure);
    }

    [Fact]
    public async Task A_down_that_deletes_rows_that_existed_before_the_up_is_found()
    {
        History("ALTER TABLE items ADD COLUMN c int;\n", "DELETE FROM items;\nALTER TABLE items DROP COLUMN c;\n");
        var result = await VerifyAsync();

        var problem = Assert.Single(result.Problems);
        Assert.Equal(VerifyProblemKind.DataLost, problem.Kind);
        var loss = Assert.Single(problem.Losses);
        Assert.Equal(("items", 3, 0, 3), (loss.Table, loss.RowsBefore, loss.RowsAfter, loss.RowsMissing)); // verify seeds 3 rows per table
    }

    [Fact]
    public async Task Correct_downs_pass()
    {
        History("ALTER TABLE items ADD COLUMN c int;\nCREATE INDEX items_c ON items (c);\n", "DROP INDEX items_c" + (this is MariaDbVerifyTests ? " ON items" : string.Empty) + ";\nALTER TABLE items DROP COLUMN c;\n");
        var result = await VerifyAsync();

        Assert.Empty(result.Problems);
        Assert.Equal(VerifyOutcome.Clean, result.Outcome);
        Assert.All(result.Migrations, m => Assert.True(m.RoundTrip));
        Assert.Equal(2, result.Migrations.Count);
    }
}

[Collection("postgres")]
public sealed class PostgresVerifyTests(PostgresFixture fixture) : VerifyScenarios
{
    protected override Task<ScratchDatabase> ScratchAsync()
    {
        Assert.True(DatabaseTarget.TryParse(fixture.Server.Url, out var server, out var error), error);
        return ScratchDatabase.CreateAsync(server!, StepwiseMigrations.Engine, CancellationToken.None);
    }

    [Fact]
    public async Task The_safe_example_passes()
    {
        var result = await VerifyAsync(RepositoryFolder(Path.Combine("examples", "safe")));
        Assert.Empty(result.Problems);
        Assert.Equal(9, result.Migrations.Count(m => m.RoundTrip));
    }
}

[Collection("mariadb")]
public sealed class MariaDbVerifyTests(MariaDbFixture fixture) : VerifyScenarios
{
    protected override Task<ScratchDatabase> ScratchAsync()
    {
        Assert.True(DatabaseTarget.TryParse(fixture.Server.UrlFor("mysql"), out var server, out var error), error);
        return ScratchDatabase.CreateAsync(server!, StepwiseMigrations.Engine, CancellationToken.None);
    }
}

public sealed class SqliteVerifyTests : VerifyScenarios
{
    protected override Task<ScratchDatabase> ScratchAsync() => Task.FromResult(ScratchDatabase.CreateSqlite());

    [Fact]
    public async Task The_sqlite_example_passes_through_the_command_line()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Cli.StepwiseCli.Run(["verify", "--dir", RepositoryFolder(Path.Combine("examples", "sqlite"))], TextReader.Null, stdout, stderr);

        Assert.True(exit == 0, stdout.ToString() + stderr);
        Assert.Contains("verify: 5 migration(s) round-tripped", stdout.ToString(), StringComparison.Ordinal);
    }
}
