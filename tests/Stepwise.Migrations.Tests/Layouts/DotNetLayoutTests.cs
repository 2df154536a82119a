using Stepwise.Engines;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

/// <summary>DbUp, Evolve and grate/RoundhousE folders, written as their documentation shows them.</summary>
public sealed class DotNetLayoutTests
{
    [Fact]
    public void A_dbup_folder_is_detected_by_its_script_names_and_runs_in_name_order()
    {
        using var dir = new TempFolder()
            .Write("Script0002 - Add index.sql", "-- stepwise:no-transaction\nCREATE INDEX CONCURRENTLY customers_name ON customers (name);\n")
            .Write("Script0001 - Create tables.sql", "CREATE TABLE customers (id int PRIMARY KEY, name text);\n")
            .Write("Script0010 - Seed.sql", "INSERT INTO customers VALUES (1, 'a');\n")
            .Write("Script0003 - Upper.SQL", "SELECT 1;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("dbup", result.Layout.Name);
        Assert.Equal("found 4 files named Script<number>….sql, DbUp's convention", result.DetectedBecause);
        Assert.Equal(["Script0001 - Create tables.sql", "Script0002 - Add index.sql", "Script0010 - Seed.sql"], result.Migrations.Select(m => m.Version));
        Assert.All(result.Migrations, m => Assert.Null(m.Down));
        Assert.True(result.Migrations[1].Up.NoTransaction);
        Assert.False(result.Migrations[0].Up.NoTransaction);
        var upper = Assert.Single(result.Problems);
        Assert.EndsWith("Script0003 - Upper.SQL", upper.Path, StringComparison.Ordinal);

        // SchemaVersions names a script by its file name, or an embedded one by namespace + file name
        Assert.Equal(result.Migrations[0].OrderKey, result.Layout.ParseVersion("Script0001 - Create tables.sql"));
        Assert.Equal(result.Migrations[0].OrderKey, result.Layout.ParseVersion("MyApp.Migrations.Scripts.Script0001 - Create tables.sql"));
        Assert.Equal(("schemaversions", "scriptname"), (result.Layout.History!.History.Table, result.Layout.History.History.Column));
    }

    [Fact]
    public void Flyway_named_files_with_evolve_json_are_evolve_and_without_it_stay_flyway()
    {
        using var dir = new TempFolder()
            .Write("V1__Create_table.sql", "CREATE TABLE t (id int);\n")
            .Write("V1_1__Add_column.sql", "ALTER TABLE t ADD COLUMN c int;\n")
            .Write("V2__Index.sql", "CREATE INDEX CONCURRENTLY t_c ON t (c);\n")
            .Write("V2__Index.sql.conf", "executeInTransaction=false\n")
            .Write("R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT id FROM t;\n");

        Assert.Equal(LayoutKind.Flyway, MigrationFolder.Load(dir.Path).Layout);

        dir.Write("evolve.json", "{ \"Locations\": [\"migrations\"] }\n");
        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("evolve", result.Layout.Name);
        Assert.Equal("found evolve.json beside 4 Flyway-named files (Evolve uses Flyway's file names; its configuration file tells them apart)", result.DetectedBecause);
        Assert.Empty(result.Problems);
        Assert.Equal(["1", "1.1", "2", string.Empty], result.Migrations.Select(m => m.Version));
        Assert.Equal(MigrationKind.Repeatable, result.Migrations[3].Kind);
        Assert.True(result.Migrations[2].Up.NoTransaction);
        var history = result.Layout.History!.History;
        Assert.Equal("changelog", history.Table);
        Assert.Contains(history.Conditions, c => c.Column == "type" && c.Test == HistoryTest.EqualsText && c.Value == "0");
        Assert.Equal(result.Migrations[1].OrderKey, result.Layout.ParseVersion("1.1"));
    }

    private static TempFolder GrateFolder() => new TempFolder()
        .Write("up/0001_create_tables.sql", "CREATE TABLE orders (id int PRIMARY KEY, total numeric);\n")
        .Write("up/0002_add_customer.sql", "ALTER TABLE orders ADD COLUMN customer text;\n")
        .Write("up/2024/0003_index.sql", "CREATE INDEX orders_customer ON orders (customer);\n")
        .Write("runAfterCreateDatabase/0000_extensions.sql", "CREATE EXTENSION IF NOT EXISTS pgcrypto;\n")
        .Write("views/orders_view.sql", "CREATE OR REPLACE VIEW orders_view AS SELECT id FROM orders;\n")
        .Write("functions/total.sql", "CREATE OR REPLACE FUNCTION total() RETURNS numeric AS $$ SELECT sum(total) FROM orders $$ LANGUAGE sql;\n")
        .Write("sprocs/archive.sql", "CREATE OR REPLACE PROCEDURE archive() LANGUAGE sql AS $$ DELETE FROM orders $$;\n")
        .Write("permissions/grants.sql", "GRANT SELECT ON orders TO reporting;\n");

    [Fact]
    public void A_grate_folder_runs_one_time_scripts_then_anytime_folders_in_grates_order()
    {
        using var dir = GrateFolder();

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("grate", result.Layout.Name);
        Assert.Equal("found up/ with .sql files, and 6 grate folders (functions/, permissions/, runAfterCreateDatabase/, sprocs/, up/, views/)", result.DetectedBecause);
        Assert.DoesNotContain(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains(result.Problems, p => p.Path.EndsWith("permissions", StringComparison.Ordinal) && p.Message.Contains("every time", StringComparison.Ordinal));

        var once = result.Migrations.Where(m => m.Kind == MigrationKind.Versioned).ToList();
        Assert.Equal(["0000_extensions.sql", "0001_create_tables.sql", "0002_add_customer.sql", "2024/0003_index.sql"], once.Select(m => m.Version));
        Assert.Equal("create_tables", once[1].Name);

        // anytime scripts re-run when changed, after the one-time ones, in grate's folder order (functions, views, sprocs)
        var anytime = result.Migrations.Where(m => m.Kind == MigrationKind.Repeatable).ToList();
        Assert.Equal(["functions/total.sql", "views/orders_view.sql", "sprocs/archive.sql"], anytime.Select(m => m.Name));
        Assert.Equal(result.Migrations.Count, once.Count + anytime.Count);
        Assert.True(result.Migrations.Take(once.Count).All(m => m.Kind == MigrationKind.Versioned));
        Assert.NotEqual(Stepwise.Migrations.Planning.MigrationSet.Checksum(anytime[0].Up), Stepwise.Migrations.Planning.MigrationSet.Checksum(anytime[1].Up));

        var history = result.Layout.History!.History;
        Assert.Equal(("grate", "ScriptsRun", "script_name"), (history.PostgresSchema, history.Table, history.Column));
    }

    [Fact]
    public void The_same_grate_folder_read_as_roundhouse_has_roundhouses_history_and_a_repeated_script_name_is_an_error()
    {
        using var dir = GrateFolder().Write("runAfterCreateDatabase/0001_create_tables.sql", "SELECT 1;\n");

        var result = MigrationFolder.Load(dir.Path, LayoutKind.Find("roundhouse"));

        Assert.Equal("roundhouse", result.Layout.Name);
        Assert.Equal("RoundhousE", result.Layout.History!.History.PostgresSchema);
        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error && p.Path.EndsWith("up/0001_create_tables.sql", StringComparison.Ordinal) && p.Message.Contains("same script name", StringComparison.Ordinal));
    }
}
