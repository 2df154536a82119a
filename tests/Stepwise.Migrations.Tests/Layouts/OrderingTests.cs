using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

public sealed class OrderingTests
{
    [Fact]
    public void Numeric_versions_sort_as_numbers_not_as_text()
    {
        using var dir = new TempFolder()
            .Write("10_c.up.sql", "SELECT 10;")
            .Write("2_b.up.sql", "SELECT 2;")
            .Write("1_a.up.sql", "SELECT 1;")
            .Write("123456789012345678901234567890_big.up.sql", "SELECT 3;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal(["1", "2", "10", "123456789012345678901234567890"], result.Migrations.Select(m => m.Version));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Leading_zeros_do_not_change_a_version()
    {
        using var dir = new TempFolder()
            .Write("0001_a.up.sql", "SELECT 1;")
            .Write("1_b.up.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.EndsWith("1_b.up.sql", problem.Path, StringComparison.Ordinal);
        Assert.Contains("duplicate version 1:", problem.Message, StringComparison.Ordinal);
        Assert.Contains("0001_a.up.sql", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flyway_versions_compare_segment_by_segment_with_repeatables_last()
    {
        using var dir = new TempFolder()
            .Write("V1.10__ten.sql", "SELECT 1;")
            .Write("V1.2__two.sql", "SELECT 1;")
            .Write("V1_9__nine.sql", "SELECT 1;")
            .Write("V2__next.sql", "SELECT 1;")
            .Write("R__b_view.sql", "SELECT 1;")
            .Write("R__a_view.sql", "SELECT 1;")
            .Write("V1__first.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        Assert.Equal(["1", "1.2", "1.9", "1.10", "2", "", ""], result.Migrations.Select(m => m.Version));
        Assert.Equal(["a view", "b view"], result.Migrations.Skip(5).Select(m => m.Name));
        Assert.All(result.Migrations.Skip(5), m => Assert.Equal(MigrationKind.Repeatable, m.Kind));
        Assert.Equal("nine", result.Migrations[2].Name);
    }

    [Fact]
    public void Flyway_1_0_and_1_are_the_same_version()
    {
        using var dir = new TempFolder()
            .Write("V1__a.sql", "SELECT 1;")
            .Write("V1.0__b.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        var problem = Assert.Single(result.Problems);
        Assert.Contains("duplicate version", problem.Message, StringComparison.Ordinal);
        Assert.Single(result.Migrations);
    }

    [Fact]
    public void A_flyway_baseline_sorts_before_the_versioned_migration_of_its_version()
    {
        using var dir = new TempFolder()
            .Write("V1__a.sql", "SELECT 1;")
            .Write("V2__b.sql", "SELECT 2;")
            .Write("B2__baseline.sql", "SELECT 0;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        Assert.Equal(
            [MigrationKind.Versioned, MigrationKind.Baseline, MigrationKind.Versioned],
            result.Migrations.Select(m => m.Kind));
        Assert.Equal("baseline", result.Migrations[1].Name);
    }

    [Fact]
    public void Prisma_migrations_sort_by_directory_name()
    {
        using var dir = new TempFolder()
            .Write("migration_lock.toml", "provider = \"postgresql\"")
            .Write("20240201000000_b/migration.sql", "SELECT 2;")
            .Write("20240101000000_a/migration.sql", "SELECT 1;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal(["20240101000000_a", "20240201000000_b"], result.Migrations.Select(m => m.Version));
    }

    [Fact]
    public void Drizzle_migrations_follow_the_journal_not_the_file_names()
    {
        using var dir = new TempFolder()
            .Write("meta/_journal.json", """
                {"dialect":"postgresql","entries":[
                  {"idx":0,"when":100,"tag":"0001_second_by_name","breakpoints":true},
                  {"idx":1,"when":200,"tag":"0000_first_by_name","breakpoints":true}]}
                """)
            .Write("0000_first_by_name.sql", "SELECT 1;")
            .Write("0001_second_by_name.sql", "SELECT 2;");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Empty(result.Problems);
        Assert.Equal(["second_by_name", "first_by_name"], result.Migrations.Select(m => m.Name));
        Assert.Equal([100L, 200L], result.Migrations.Select(m => m.JournalWhen!.Value));
    }

    [Fact]
    public void Version_keys_parse_as_their_layout_compares_them()
    {
        Assert.Equal(VersionKey.Parse(LayoutKind.GolangMigrate, "0001"), VersionKey.Parse(LayoutKind.GolangMigrate, "1"));
        Assert.True(VersionKey.Parse(LayoutKind.Stepwise, "2") < VersionKey.Parse(LayoutKind.Stepwise, "10"));
        Assert.True(VersionKey.Parse(LayoutKind.Flyway, "1.2") < VersionKey.Parse(LayoutKind.Flyway, "1.10"));
        Assert.True(VersionKey.Parse(LayoutKind.Flyway, "1.2.1") > VersionKey.Parse(LayoutKind.Flyway, "1.2"));
        Assert.Equal(VersionKey.Parse(LayoutKind.Flyway, "1_1"), VersionKey.Parse(LayoutKind.Flyway, "1.01.0"));
        Assert.Equal(
            VersionKey.Parse(LayoutKind.Flyway, "1_1").GetHashCode(),
            VersionKey.Parse(LayoutKind.Flyway, "1.01.0").GetHashCode());
        Assert.True(VersionKey.Parse(LayoutKind.Prisma, "20240101_b") > VersionKey.Parse(LayoutKind.Prisma, "20240101_a"));
        Assert.Equal("1.1", VersionKey.Parse(LayoutKind.Flyway, "01_1").ToString());
    }
}
