using System.Text.Json;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>status, down, force, validate, --dry-run, ordering and the lint gate on PostgreSQL.</summary>
[Collection("postgres")]
public sealed class PostgresCommandTests(PostgresFixture fixture)
{
    private static void WriteThree(PgScenario pg)
    {
        pg.Write("0001_alpha.up.sql", "CREATE TABLE alpha (id integer PRIMARY KEY);\n");
        pg.Write("0001_alpha.down.sql", "DROP TABLE alpha;\n");
        pg.Write("0002_beta.up.sql", "CREATE TABLE beta (id integer PRIMARY KEY);\n");
        pg.Write("0002_beta.down.sql", "DROP TABLE beta;\n");
        pg.Write("0003_gamma.up.sql", "CREATE TABLE gamma (id integer PRIMARY KEY);\n");
        pg.Write("0003_gamma.down.sql", "DROP TABLE gamma;\n");
    }

    private static async Task UpOkAsync(PgScenario pg, params string[] extra)
    {
        var up = await pg.RunAsync(["up", .. extra]);
        Assert.True(up.ExitCode == 0, PgScenario.Describe(up));
    }

    [Fact]
    public async Task Status_json_lists_version_name_and_state_of_every_migration()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteThree(pg);
        await UpOkAsync(pg, "--to", "0002");

        var status = await pg.RunAsync("status", "--format", "json");
        Assert.True(status.ExitCode == 0, PgScenario.Describe(status));
        using var json = JsonDocument.Parse(status.StandardOutput);
        var migrations = json.RootElement.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(3, migrations.Count);
        foreach (var m in migrations)
        {
            Assert.Equal(JsonValueKind.String, m.GetProperty("version").ValueKind);
            Assert.Equal(JsonValueKind.String, m.GetProperty("name").ValueKind);
            Assert.Equal(JsonValueKind.String, m.GetProperty("state").ValueKind);
        }

        Assert.Equal(["0001", "0002", "0003"], migrations.Select(m => m.GetProperty("version").GetString()));
        Assert.Equal(["alpha", "beta", "gamma"], migrations.Select(m => m.GetProperty("name").GetString()));
        Assert.Equal(["applied", "applied", "pending"], migrations.Select(m => m.GetProperty("state").GetString()));
        Assert.Equal(string.Empty, status.StandardError);
    }

    [Fact]
    public async Task Down_runs_down_migrations_and_removes_their_journal_rows()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteThree(pg);
        await UpOkAsync(pg);

        var down = await pg.RunAsync("down");
        Assert.True(down.ExitCode == 0, PgScenario.Describe(down));
        Assert.False(await pg.TableExistsAsync("gamma"));
        Assert.True(await pg.TableExistsAsync("beta"));
        Assert.Equal(["0001", "0002"], (await pg.JournalAsync()).Select(j => j.Version));

        var dry = await pg.RunAsync("down", "--to", "0000", "--dry-run");
        Assert.True(dry.ExitCode == 0, PgScenario.Describe(dry));
        Assert.Contains("would roll back 0002 beta", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["0001", "0002"], (await pg.JournalAsync()).Select(j => j.Version));

        var toFirst = await pg.RunAsync("down", "--to", "0001");
        Assert.True(toFirst.ExitCode == 0, PgScenario.Describe(toFirst));
        Assert.False(await pg.TableExistsAsync("beta"));
        Assert.True(await pg.TableExistsAsync("alpha"));
        Assert.Equal(["0001"], (await pg.JournalAsync()).Select(j => j.Version));

        // and up again applies what was rolled back
        await UpOkAsync(pg);
        Assert.Equal(["0001", "0002", "0003"], (await pg.JournalAsync()).Select(j => j.Version));
    }

    [Fact]
    public async Task Down_without_a_down_file_rolls_back_nothing()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_alpha.up.sql", "CREATE TABLE alpha (id integer PRIMARY KEY);\n");
        await UpOkAsync(pg);

        var down = await pg.RunAsync("down");
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("0001 alpha has no down migration", Assert.Single(PgScenario.ProblemLines(down)), StringComparison.Ordinal);
        Assert.True(await pg.TableExistsAsync("alpha"));
        Assert.Single(await pg.JournalAsync());
    }

    [Fact]
    public async Task Force_records_versions_without_running_them_and_removes_later_records()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteThree(pg);

        var force = await pg.RunAsync("force", "0002");
        Assert.True(force.ExitCode == 0, PgScenario.Describe(force));
        Assert.Equal(["0001", "0002"], (await pg.JournalAsync()).Select(j => j.Version));
        Assert.All(await pg.JournalAsync(), j => Assert.Equal("applied", j.State));
        Assert.False(await pg.TableExistsAsync("alpha"));
        Assert.False(await pg.TableExistsAsync("beta"));

        await UpOkAsync(pg);
        Assert.True(await pg.TableExistsAsync("gamma"));
        Assert.False(await pg.TableExistsAsync("alpha"));

        var back = await pg.RunAsync("force", "0001");
        Assert.True(back.ExitCode == 0, PgScenario.Describe(back));
        Assert.Equal(["0001"], (await pg.JournalAsync()).Select(j => j.Version));
        Assert.True(await pg.TableExistsAsync("gamma")); // force runs no SQL, down or up

        var unknown = await pg.RunAsync("force", "0009");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no migration has version 0009", Assert.Single(PgScenario.ProblemLines(unknown)), StringComparison.Ordinal);
        Assert.Equal(["0001"], (await pg.JournalAsync()).Select(j => j.Version));
    }

    [Fact]
    public async Task Validate_passes_on_a_clean_database()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteThree(pg);
        await UpOkAsync(pg);
        var validate = await pg.RunAsync("validate");
        Assert.True(validate.ExitCode == 0, PgScenario.Describe(validate));
        Assert.Empty(PgScenario.ProblemLines(validate));
    }

    [Fact]
    public async Task Dry_run_changes_nothing()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        WriteThree(pg);
        var schema = await pg.SchemaAsync();

        var dry = await pg.RunAsync("up", "--dry-run");
        Assert.True(dry.ExitCode == 0, PgScenario.Describe(dry));
        Assert.Contains("would apply 0001 alpha (1 statement(s), in one transaction)", dry.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("would apply 0003 gamma", dry.StandardOutput, StringComparison.Ordinal);
        Assert.True((await pg.SchemaAsync()).SameAs(schema));
        Assert.False(await pg.TableExistsAsync("stepwise_migrations"), "--dry-run created the journal table");

        await UpOkAsync(pg, "--to", "0001");
        var journal = await pg.JournalAsync();
        var dryAgain = await pg.RunAsync("up", "--dry-run");
        Assert.True(dryAgain.ExitCode == 0, PgScenario.Describe(dryAgain));
        Assert.DoesNotContain("would apply 0001", dryAgain.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("would apply 0002 beta", dryAgain.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(journal, await pg.JournalAsync());
        Assert.False(await pg.TableExistsAsync("beta"));
    }

    [Fact]
    public async Task A_pending_migration_older_than_the_newest_applied_is_refused_unless_allowed()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_alpha.up.sql", "CREATE TABLE alpha (id integer PRIMARY KEY);\n");
        pg.Write("0003_gamma.up.sql", "CREATE TABLE gamma (id integer PRIMARY KEY);\n");
        await UpOkAsync(pg);
        pg.Write("0002_beta.up.sql", "CREATE TABLE beta (id integer PRIMARY KEY);\n");
        pg.Write("0004_delta.up.sql", "CREATE TABLE delta (id integer PRIMARY KEY);\n");

        var refused = await pg.RunAsync("up");
        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(PgScenario.ProblemLines(refused));
        Assert.Contains("0002 beta", line, StringComparison.Ordinal);
        Assert.Contains("--allow-out-of-order", line, StringComparison.Ordinal);
        Assert.False(await pg.TableExistsAsync("beta"));
        Assert.False(await pg.TableExistsAsync("delta"));

        await UpOkAsync(pg, "--allow-out-of-order");
        Assert.True(await pg.TableExistsAsync("beta"));
        Assert.True(await pg.TableExistsAsync("delta"));
        Assert.Equal(["0001", "0002", "0003", "0004"], (await pg.JournalAsync()).Select(j => j.Version));
    }

    [Fact]
    public async Task The_lint_gate_refuses_an_unsafe_pending_migration_unless_suppressed_or_allowed()
    {
        using var pg = await PgScenario.CreateAsync(fixture);
        pg.Write("0001_items.up.sql", "CREATE TABLE items (id integer PRIMARY KEY, v text, w text);\n");
        await UpOkAsync(pg);
        pg.Write("0002_items_v_idx.up.sql", "CREATE INDEX items_v_idx ON items (v);\n");

        var refused = await pg.RunAsync("up");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("non-concurrent-index", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("0002_items_v_idx.up.sql", refused.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("lint found 1 error(s)", Assert.Single(PgScenario.ProblemLines(refused)), StringComparison.Ordinal);
        Assert.False(await pg.ScalarAsync<bool>("SELECT to_regclass('items_v_idx') IS NOT NULL"));
        Assert.Single(await pg.JournalAsync());

        pg.Write("0002_items_v_idx.up.sql", "-- stepwise:ignore non-concurrent-index items is empty until the launch\nCREATE INDEX items_v_idx ON items (v);\n");
        await UpOkAsync(pg);
        Assert.True(await pg.ScalarAsync<bool>("SELECT to_regclass('items_v_idx') IS NOT NULL"));

        pg.Write("0003_items_w_idx.up.sql", "CREATE INDEX items_w_idx ON items (w);\n");
        Assert.Equal(1, (await pg.RunAsync("up")).ExitCode);
        await UpOkAsync(pg, "--allow-unsafe");
        Assert.True(await pg.ScalarAsync<bool>("SELECT to_regclass('items_w_idx') IS NOT NULL"));
        Assert.Equal(["0001", "0002", "0003"], (await pg.JournalAsync()).Select(j => j.Version));
    }
}
