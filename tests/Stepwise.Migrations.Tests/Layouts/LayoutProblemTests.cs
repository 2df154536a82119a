using System.Text;
using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

public sealed class LayoutProblemTests
{
    private static LayoutProblem SingleProblem(FolderLoadResult result, string fileName)
    {
        var problem = Assert.Single(result.Problems);
        Assert.EndsWith("/" + fileName, problem.Path, StringComparison.Ordinal);
        return problem;
    }

    [Fact]
    public void A_dash_instead_of_underscore_in_a_golang_migrate_folder_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("1_init.up.sql", "SELECT 1;")
            .Write("2-add.up.sql", "SELECT 2;");

        var result = MigrationFolder.Load(dir.Path, LayoutKind.GolangMigrate);

        var problem = SingleProblem(result, "2-add.up.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("put '_' between the version and the name", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Migrations);
    }

    [Fact]
    public void A_numbered_sql_file_without_up_or_down_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("1_init.up.sql", "SELECT 1;")
            .Write("2_add.sql", "SELECT 2;");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "2_add.sql");

        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("{version}_{name}.up.sql", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flyway_name_with_one_underscore_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("V1__init.sql", "SELECT 1;")
            .Write("V2_add.sql", "SELECT 2;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal(LayoutKind.Flyway, result.Layout);
        var problem = SingleProblem(result, "V2_add.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("two underscores", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lower_case_flyway_prefix_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("V1__init.sql", "SELECT 1;")
            .Write("v2__add.sql", "SELECT 2;");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "v2__add.sql");

        Assert.Contains("upper-case", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flyway_callback_is_a_warning()
    {
        using var dir = new TempFolder()
            .Write("V1__init.sql", "SELECT 1;")
            .Write("afterMigrate.sql", "SELECT 2;");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "afterMigrate.sql");

        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        Assert.Contains("callback", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_down_without_an_up_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("1_init.up.sql", "SELECT 1;")
            .Write("2_add.down.sql", "SELECT 2;");

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "2_add.down.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("down migration without an up migration", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Migrations);
    }

    [Fact]
    public void A_flyway_undo_without_its_version_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("V1__init.sql", "SELECT 1;")
            .Write("U2__add.sql", "SELECT 2;");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "U2__add.sql");

        Assert.Contains("undo migration without a versioned migration V2__", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_versions_name_both_files()
    {
        using var dir = new TempFolder()
            .Write("20240101000000_a.up.sql", "SELECT 1;")
            .Write("20240101000000_b.up.sql", "SELECT 2;");

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "20240101000000_b.up.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains(dir.Path + "/20240101000000_a.up.sql", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_an_error()
    {
        // Latin-1 "é" (0xE9) on line 2 is not valid UTF-8.
        var bytes = Encoding.ASCII.GetBytes("SELECT 1;\n-- caf").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray();
        using var dir = new TempFolder().WriteBytes("1_a.up.sql", bytes);

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "1_a.up.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.StartsWith("is not UTF-8 text (invalid byte 0xE9 on line 2)", problem.Message, StringComparison.Ordinal);
        Assert.Empty(result.Migrations);
    }

    [Fact]
    public void A_binary_file_is_an_error()
    {
        using var dir = new TempFolder().WriteBytes("1_a.up.sql", [0x53, 0x00, 0x01, 0x02]);

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "1_a.up.sql");

        Assert.Contains("binary", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf16_file_is_an_error_that_says_so()
    {
        using var dir = new TempFolder().WriteBytes("1_a.up.sql", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("SELECT 1;")).ToArray());

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "1_a.up.sql");

        Assert.Contains("UTF-16", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_file_is_an_error()
    {
        using var dir = new TempFolder().Write("1_a.up.sql", "SELECT 1;");
        // A dangling symbolic link is listed but cannot be opened, even by root.
        File.CreateSymbolicLink(dir.Full("2_b.up.sql"), dir.Full("missing-target.sql"));

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "2_b.up.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.StartsWith("cannot be read:", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Migrations);
    }

    [Fact]
    public void A_stray_sql_file_without_a_version_is_a_warning()
    {
        using var dir = new TempFolder()
            .Write("1_a.up.sql", "SELECT 1;")
            .Write("seed.sql", "INSERT INTO a VALUES (1);")
            .Write("README.md", "notes");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "seed.sql");

        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
    }

    [Fact]
    public void Drizzle_journal_entries_without_files_are_errors()
    {
        using var dir = new TempFolder()
            .Write("meta/_journal.json", """
                {"entries":[{"idx":0,"when":1,"tag":"0000_a"},{"idx":1,"when":2,"tag":"0001_b"}]}
                """)
            .Write("0000_a.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "0001_b.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("does not exist", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Migrations);
    }

    [Fact]
    public void Drizzle_sql_files_missing_from_the_journal_are_errors()
    {
        using var dir = new TempFolder()
            .Write("meta/_journal.json", """{"entries":[{"idx":0,"when":1,"tag":"0000_a"}]}""")
            .Write("0000_a.sql", "SELECT 1;")
            .Write("0001_b.sql", "SELECT 2;");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "0001_b.sql");

        Assert.Contains("not listed in meta/_journal.json", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drizzle_when_that_does_not_increase_is_a_silent_skip()
    {
        using var dir = new TempFolder()
            .Write("meta/_journal.json", """
                {"entries":[
                  {"idx":0,"when":1700000000000,"tag":"0000_a"},
                  {"idx":1,"when":1690000000000,"tag":"0001_b"},
                  {"idx":2,"when":1710000000000,"tag":"0002_c"}]}
                """)
            .Write("0000_a.sql", "SELECT 1;")
            .Write("0001_b.sql", "SELECT 2;")
            .Write("0002_c.sql", "SELECT 3;");

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "0001_b.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("silently skips", problem.Message, StringComparison.Ordinal);
        Assert.Contains("0000_a", problem.Message, StringComparison.Ordinal);
        Assert.Equal(3, result.Migrations.Count);
    }

    [Fact]
    public void A_broken_drizzle_journal_is_an_error_and_files_are_still_listed()
    {
        using var dir = new TempFolder()
            .Write("meta/_journal.json", "{ not json")
            .Write("0001_b.sql", "SELECT 2;")
            .Write("0000_a.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal(LayoutKind.Drizzle, result.Layout);
        Assert.Contains("is not valid JSON", SingleProblem(result, "meta/_journal.json").Message, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], result.Migrations.Select(m => m.Name));
    }

    [Fact]
    public void A_dbmate_file_without_migrate_up_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("1_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
            .Write("2_b.sql", "CREATE TABLE b (id int);\n");

        var result = MigrationFolder.Load(dir.Path, LayoutKind.Dbmate);

        var problem = SingleProblem(result, "2_b.sql");
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Contains("no '-- migrate:up'", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Migrations);
    }

    [Fact]
    public void A_dbmate_file_without_migrate_down_is_an_error_as_dbmate_requires_one()
    {
        using var dir = new TempFolder().Write("1_a.sql", "-- migrate:up\nSELECT 1;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Contains("no '-- migrate:down'", SingleProblem(result, "1_a.sql").Message, StringComparison.Ordinal);
        Assert.Null(Assert.Single(result.Migrations).Down);
    }

    [Fact]
    public void Dbmate_sql_before_migrate_up_is_an_error()
    {
        using var dir = new TempFolder().Write("1_a.sql", "-- fine\nSELECT 0;\n-- migrate:up\nSELECT 1;\n-- migrate:down\n");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "1_a.sql");

        Assert.Contains("SQL before '-- migrate:up'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dbmate_name_order_that_differs_from_version_order_is_a_warning()
    {
        using var dir = new TempFolder()
            .Write("9_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
            .Write("10_b.sql", "-- migrate:up\nSELECT 2;\n-- migrate:down\n");

        var result = MigrationFolder.Load(dir.Path);

        var problem = SingleProblem(result, "10_b.sql");
        Assert.Equal(ProblemSeverity.Warning, problem.Severity);
        Assert.Contains("orders files by name", problem.Message, StringComparison.Ordinal);
        Assert.Equal(["9", "10"], result.Migrations.Select(m => m.Version));
    }

    [Fact]
    public void A_prisma_directory_without_migration_sql_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("migration_lock.toml", "provider = \"postgresql\"")
            .Write("20240101000000_a/migration.sql", "SELECT 1;")
            .Write("20240201000000_b/notes.txt", "nothing");

        var problem = SingleProblem(MigrationFolder.Load(dir.Path), "20240201000000_b");

        Assert.Contains("no migration.sql", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_prisma_provider_is_a_warning_without_a_dialect()
    {
        using var dir = new TempFolder()
            .Write("migration_lock.toml", "provider = \"sqlserver\"")
            .Write("20240101000000_a/migration.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Null(result.DialectHint);
        Assert.Contains("sqlserver", SingleProblem(result, "migration_lock.toml").Message, StringComparison.Ordinal);
    }
}
