using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

/// <summary>`stepwise new` writes what the folder's layout reads: the folder still loads, with the new migration last.</summary>
public sealed class NewMigrationTests
{
    private static readonly DateTime Now = new(2030, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    private static TempFolder Folder(string layout) => layout switch
    {
        "stepwise" => new TempFolder().Write("0001_a.up.sql", "CREATE TABLE a (id int);\n").Write("0001_a.down.sql", "DROP TABLE a;\n"),
        "golang-migrate" => new TempFolder().Write("1_a.up.sql", "CREATE TABLE a (id int);\n").Write("1_a.down.json", "{}"),
        "flyway" => new TempFolder().Write("V1__a.sql", "CREATE TABLE a (id int);\n").Write("V1_1__b.sql", "CREATE TABLE b (id int);\n"),
        "dbmate" => new TempFolder().Write("20240101000000_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n"),
        "prisma" => new TempFolder().Write("migration_lock.toml", "provider = \"postgresql\"\n").Write("20240101000000_a/migration.sql", "CREATE TABLE a (id int);\n"),
        "drizzle" => new TempFolder()
            .Write("meta/_journal.json", "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": [\n    { \"idx\": 0, \"version\": \"7\", \"when\": 1950000000000, \"tag\": \"0000_a\", \"breakpoints\": true }\n  ]\n}\n")
            .Write("0000_a.sql", "CREATE TABLE a (id int);\n"),
        "goose" => new TempFolder().Write("00001_a.sql", "-- +goose Up\nCREATE TABLE a (id int);\n\n-- +goose Down\nDROP TABLE a;\n"),
        "sql-migrate" => new TempFolder().Write("1_a.sql", "-- +migrate Up\nCREATE TABLE a (id int);\n\n-- +migrate Down\nDROP TABLE a;\n"),
        "diesel" => new TempFolder().Write("2024-01-01-000000_a/up.sql", "CREATE TABLE a (id int);\n").Write("2024-01-01-000000_a/down.sql", "DROP TABLE a;\n"),
        "sqlx" => new TempFolder().Write("20240101000000_a.sql", "CREATE TABLE a (id int);\n"),
        "atlas" => new TempFolder().Write("20240101000000_a.sql", "CREATE TABLE a (id int);\n")
            .Write("atlas.sum", AtlasSum.Write([("20240101000000_a.sql", System.Text.Encoding.UTF8.GetBytes("CREATE TABLE a (id int);\n"))])),
        "liquibase" => new TempFolder().Write("001_a.sql", "--liquibase formatted sql\n\n--changeset dev:1\nCREATE TABLE a (id int);\n--rollback DROP TABLE a;\n"),
        "pop" => new TempFolder().Write("20240101000000_a.postgres.up.sql", "CREATE TABLE a (id int);\n").Write("20240101000000_a.sqlite3.up.sql", "CREATE TABLE a (id integer);\n"),
        "dbup" => new TempFolder().Write("Script0001 - a.sql", "CREATE TABLE a (id int);\n"),
        "evolve" => new TempFolder().Write("evolve.json", "{}\n").Write("V1__a.sql", "CREATE TABLE a (id int);\n"),
        "grate" or "roundhouse" => new TempFolder().Write("up/0001_a.sql", "CREATE TABLE a (id int);\n").Write("views/v.sql", "CREATE VIEW v AS SELECT 1;\n"),
        _ => throw new ArgumentException(layout),
    };

    public static TheoryData<string> Layouts() => new(LayoutKinds.Names.Where(n => !Unsupported.Contains(n)));

    // layouts whose folders only a forced --layout reads (their names are another layout's)
    private static readonly string[] Unsupported = ["roundhouse"];

    private static string ExpectedName(string layout) => layout switch
    {
        "flyway" or "evolve" => "add users",
        "liquibase" => "20300506070809-add_users", // the changeset id
        "dbup" => "Script0002 - add_users",
        _ => "add_users",
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_new_migration_is_written_in_the_folders_layout_and_the_folder_still_loads(string layout)
    {
        using var dir = Folder(layout);
        var before = MigrationFolder.Load(dir.Path);
        Assert.Equal(layout, before.Layout.Name);

        var written = NewMigrationWriter.Write(dir.Path, "add_users", "add users", Now);

        Assert.Null(written.Problem);
        Assert.Equal(layout, written.Layout.Name);
        Assert.NotEmpty(written.Written);
        Assert.All(written.Written, path => Assert.True(File.Exists(path), path));
        var after = MigrationFolder.Load(dir.Path);
        Assert.Equal(layout, after.Layout.Name);
        Assert.DoesNotContain(after.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(before.Migrations.Count + 1, after.Migrations.Count);
        var added = after.Migrations.Last(m => m.Kind == MigrationKind.Versioned);
        Assert.Equal(ExpectedName(layout), added.Name);
        Assert.DoesNotContain(before.Migrations, m => m.OrderKey == added.OrderKey);
    }

    [Theory]
    [InlineData("stepwise")]
    [InlineData("flyway")]
    [InlineData("drizzle")]
    [InlineData("diesel")]
    [InlineData("goose")]
    public void Two_new_migrations_in_the_same_second_never_share_a_version(string layout)
    {
        using var dir = Folder(layout);

        var first = NewMigrationWriter.Write(dir.Path, "one", "one", Now);
        var second = NewMigrationWriter.Write(dir.Path, "two", "two", Now);

        Assert.Null(first.Problem);
        Assert.Null(second.Problem);
        var after = MigrationFolder.Load(dir.Path);
        Assert.DoesNotContain(after.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(["one", "two"], after.Migrations.TakeLast(2).Select(m => m.Name));
        Assert.Equal(after.Migrations.Count, after.Migrations.Select(m => m.OrderKey).Distinct().Count());
    }

    [Fact]
    public void A_new_roundhouse_script_goes_to_up_when_the_layout_is_given()
    {
        using var dir = Folder("roundhouse");

        var written = NewMigrationWriter.Write(dir.Path, "add_users", "add users", Now, LayoutKind.Find("roundhouse"));

        Assert.Null(written.Problem);
        Assert.Equal([Path.Combine(dir.Path, "up", "20300506070809_add_users.sql")], written.Written);
        var after = MigrationFolder.Load(dir.Path, LayoutKind.Find("roundhouse"));
        Assert.Equal(["0001_a.sql", "20300506070809_add_users.sql"], after.Migrations.Where(m => m.Kind == MigrationKind.Versioned).Select(m => m.Version));
    }

    [Fact]
    public void A_new_atlas_migration_rewrites_atlas_sum_so_the_folder_still_verifies()
    {
        using var dir = Folder("atlas");

        var written = NewMigrationWriter.Write(dir.Path, "add_users", "add users", Now);

        Assert.EndsWith("atlas.sum", written.Written[^1], StringComparison.Ordinal);
        var after = MigrationFolder.Load(dir.Path);
        Assert.Empty(after.Problems);
        Assert.Contains("20300506070809_add_users.sql h1:", File.ReadAllText(dir.Full("atlas.sum")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_drizzle_entry_is_later_than_every_other_when()
    {
        using var dir = Folder("drizzle"); // its entry's when (2031-10-16) is after Now

        NewMigrationWriter.Write(dir.Path, "add_users", "add users", Now);

        var after = MigrationFolder.Load(dir.Path);
        Assert.Empty(after.Problems);
        Assert.Equal(1_950_000_000_001, after.Migrations[^1].JournalWhen);
        Assert.Equal("0001", after.Migrations[^1].Version);
    }

    [Fact]
    public void An_empty_folder_gets_a_stepwise_pair()
    {
        using var dir = new TempFolder();

        var written = NewMigrationWriter.Write(dir.Path, "first", "first", Now);

        Assert.Equal(LayoutKind.Stepwise, written.Layout);
        Assert.Equal(["20300506070809_first.up.sql", "20300506070809_first.down.sql"], written.Written.Select(Path.GetFileName));
    }
}
