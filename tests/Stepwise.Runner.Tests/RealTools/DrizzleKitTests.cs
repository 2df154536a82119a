using System.Text.Json;
using Npgsql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests.RealTools;

/// <summary>
/// The real drizzle-kit (pinned in tests/tools/drizzle) writes a migration folder from a TypeScript schema (pg
/// dialect) and from a changed schema: a column rename (drizzle-kit asks about renames only on a terminal:
/// answer-renames.py answers "rename" through a pseudo-terminal), a NOT NULL column without a default on an
/// existing table, and an index. Stepwise lints that folder (the expected findings, no others), applies it to
/// PostgreSQL, and baselines a database that `drizzle-kit migrate` itself migrated.
/// </summary>
[Collection("postgres")]
public sealed class DrizzleKitTests(PostgresFixture fixture) : IDisposable
{
    private const string SchemaV1 = """
        import { pgTable, serial, text, integer } from "drizzle-orm/pg-core";

        export const users = pgTable("users", {
          id: serial("id").primaryKey(),
          email: text("email").notNull(),
        });

        export const orders = pgTable("orders", {
          id: serial("id").primaryKey(),
          userId: integer("user_id").notNull().references(() => users.id),
        });

        """;

    private const string SchemaV2 = """
        import { pgTable, serial, text, integer, index } from "drizzle-orm/pg-core";

        export const users = pgTable("users", {
          id: serial("id").primaryKey(),
          emailAddress: text("email_address").notNull(),
        });

        export const orders = pgTable("orders", {
          id: serial("id").primaryKey(),
          userId: integer("user_id").notNull().references(() => users.id),
          status: text("status").notNull(),
        }, (t) => [index("orders_user_id_idx").on(t.userId)]);

        """;

    private readonly string _project = Directory.CreateTempSubdirectory("stepwise-drizzle-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_project, recursive: true);
        }
        catch (IOException)
        {
            // the temp folder is cleaned by the OS
        }
    }

    private string Folder => Path.Combine(_project, "drizzle");

    private void WriteConfig(string? url)
    {
        var credentials = url is null ? string.Empty : $", dbCredentials: {{ url: \"{url}\" }}";
        File.WriteAllText(Path.Combine(_project, "drizzle.config.ts"), $$"""
            import { defineConfig } from "drizzle-kit";
            export default defineConfig({ dialect: "postgresql", schema: "./src/schema.ts", out: "./drizzle"{{credentials}} });

            """);
    }

    /// <summary>drizzle-kit generate, twice: the first schema, then the changed one (its rename answered).</summary>
    private async Task<string> GenerateAsync()
    {
        var drizzleKit = await RealTool.DrizzleKitAsync();
        RealTool.Require(RealTool.Python is not null, "python3 is not installed (it answers drizzle-kit's rename question through a pseudo-terminal)");
        Directory.CreateDirectory(Path.Combine(_project, "src"));
        Directory.CreateSymbolicLink(Path.Combine(_project, "node_modules"), Path.Combine(RealTool.DrizzleTools, "node_modules"));
        WriteConfig(null);

        File.WriteAllText(Path.Combine(_project, "src", "schema.ts"), SchemaV1);
        var first = await ChildProcess.RunAsync("node", [drizzleKit, "generate", "--name", "init"], timeout: TimeSpan.FromSeconds(60), workingDirectory: _project);
        Assert.True(first.ExitCode == 0, RealTool.Show(first));

        File.WriteAllText(Path.Combine(_project, "src", "schema.ts"), SchemaV2);
        var answerRenames = Path.Combine(RealTool.DrizzleTools, "answer-renames.py");
        var second = await ChildProcess.RunAsync(RealTool.Python!, [answerRenames, "node", drizzleKit, "generate", "--name", "rename_status_index"], timeout: TimeSpan.FromSeconds(60), workingDirectory: _project);
        Assert.True(second.ExitCode == 0, RealTool.Show(second));
        return drizzleKit;
    }

    private Task<ChildProcessResult> StepwiseAsync(params string[] args) => Stepwise.RunAsync(_project, TimeSpan.FromSeconds(60), args);

    [SkippableFact]
    public async Task A_folder_drizzle_kit_generated_is_linted_with_the_expected_findings_and_applied()
    {
        await GenerateAsync();
        var changed = File.ReadAllText(Path.Combine(Folder, "0001_rename_status_index.sql"));
        Assert.Contains("RENAME COLUMN \"email\" TO \"email_address\"", changed, StringComparison.Ordinal); // drizzle-kit wrote the rename, not drop + add

        var lint = await StepwiseAsync("lint", "drizzle", "--format", "json");
        Assert.True(lint.ExitCode == 1, RealTool.Show(lint));
        using (var json = JsonDocument.Parse(lint.StandardOutput))
        {
            var found = json.RootElement.GetProperty("diagnostics").EnumerateArray()
                .Select(d => Path.GetFileName(d.GetProperty("path").GetString()) + " " + d.GetProperty("rule").GetString())
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                [
                    "0000_init.sql foreign-key-without-index",
                    "0001_rename_status_index.sql adding-required-column",
                    "0001_rename_status_index.sql non-concurrent-index",
                    "0001_rename_status_index.sql rename-column",
                ],
                found);
        }

        // the errors are the point of linting; applied anyway (--allow-unsafe) to an empty database they succeed
        var db = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("drizzle_kit_apply")).Database!;
        var url = fixture.Server.PasswordUrlFor(db);
        var up = await StepwiseAsync("up", "--allow-unsafe", "--dir", "drizzle", "--database", url);
        Assert.True(up.ExitCode == 0, RealTool.Show(up));
        Assert.Contains("applied 2 migration(s)", up.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email_address'", db), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status' AND is_nullable = 'NO'", db), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM pg_indexes WHERE indexname = 'orders_user_id_idx'", db), System.Globalization.CultureInfo.InvariantCulture));

        var again = await StepwiseAsync("up", "--dir", "drizzle", "--database", url);
        Assert.True(again.ExitCode == 0, RealTool.Show(again));
        Assert.Contains("nothing to apply", again.StandardOutput, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_database_drizzle_kit_migrate_applied_is_baselined_from_drizzles_history()
    {
        var drizzleKit = await GenerateAsync();
        var db = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("drizzle_kit_baseline")).Database!;
        WriteConfig(fixture.Server.PasswordUrlFor(db)); // one user for both tools, as in a real deploy
        var migrate = await ChildProcess.RunAsync("node", [drizzleKit, "migrate"], timeout: TimeSpan.FromSeconds(60), workingDirectory: _project);
        Assert.True(migrate.ExitCode == 0, RealTool.Show(migrate));
        Assert.Equal(2L, Convert.ToInt64(await fixture.Server.ScalarAsync("SELECT count(*) FROM drizzle.__drizzle_migrations", db), System.Globalization.CultureInfo.InvariantCulture));

        var url = fixture.Server.PasswordUrlFor(db);
        var baseline = await StepwiseAsync("baseline", "--from", "drizzle", "--dir", "drizzle", "--database", url);
        Assert.True(baseline.ExitCode == 0, RealTool.Show(baseline));
        Assert.Contains("recorded 2 migration(s) as applied from drizzle's history; no SQL was run", baseline.StandardOutput, StringComparison.Ordinal);

        var up = await StepwiseAsync("up", "--dir", "drizzle", "--database", url);
        Assert.True(up.ExitCode == 0, RealTool.Show(up));
        Assert.Contains("nothing to apply", up.StandardOutput, StringComparison.Ordinal);
        var status = await StepwiseAsync("status", "--dir", "drizzle", "--database", url, "--format", "json");
        Assert.True(status.ExitCode == 0, RealTool.Show(status));
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal(["applied", "applied"], json.RootElement.GetProperty("migrations").EnumerateArray().Select(m => m.GetProperty("state").GetString()));
    }
}
