using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

/// <summary>Atlas, Liquibase formatted SQL and pop folders, written as their documentation shows them.</summary>
public sealed class AtlasLiquibasePopLayoutTests
{
    private const string Users = "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n";
    private const string Index = "-- atlas:txmode none\n\nCREATE INDEX CONCURRENTLY users_name ON users (name);\n";
    private const string Email = "ALTER TABLE users ADD COLUMN email text;\n";

    // computed outside Stepwise (Python's hashlib) the way Atlas's NewHashFile/MarshalText do: one running SHA-256
    // over name then bytes of each file in name order, base64 after each; the first line hashes every name and hash
    private const string AtlasSumText = """
        h1:+8gAOT2LMPfrp0ZgulQgTl0ks7mDwyFbQW7teTirie0=
        20240101000000_create_users.sql h1:WHiGNSIc8e7RItDEkaXE+pwt7mjN46BhbkZP3iaMpFI=
        20240102000000_index_users.sql h1:tLRAgVdBXnjnnVB51V8PZxML4D/erPLaWvmAeLbxczE=
        20240103000000_add_email.sql h1:gDLiKjidC6FNQdVfzr9iP/x59NhseVlDtutRW669Ufc=

        """;

    private static TempFolder AtlasFolder(string email = Email) => new TempFolder()
        .Write("20240101000000_create_users.sql", Users)
        .Write("20240102000000_index_users.sql", Index)
        .Write("20240103000000_add_email.sql", email)
        .Write("atlas.sum", AtlasSumText);

    [Fact]
    public void An_atlas_folder_is_detected_by_its_sum_file_which_verifies_and_orders_by_name()
    {
        using var dir = AtlasFolder();

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("atlas", result.Layout.Name);
        Assert.Equal("found atlas.sum, the Atlas migration directory's integrity file", result.DetectedBecause);
        Assert.Empty(result.Problems);
        Assert.Equal(["20240101000000", "20240102000000", "20240103000000"], result.Migrations.Select(m => m.Version));
        Assert.Equal(["create_users", "index_users", "add_email"], result.Migrations.Select(m => m.Name));
        Assert.All(result.Migrations, m => Assert.Null(m.Down));
        Assert.True(result.Migrations[1].Up.NoTransaction);
        Assert.Equal("-- atlas:txmode none", result.Migrations[1].Up.NoTransactionReason);
        Assert.False(result.Migrations[0].Up.NoTransaction);
        Assert.Equal(AtlasSumText.ReplaceLineEndings("\n"), AtlasSum.Write(result.Migrations.Select(m => (m.Up.Path[(m.Up.Path.LastIndexOf('/') + 1)..], m.Up.FileBytes.ToArray()))));

        var history = result.Layout.History!.History;
        Assert.Equal(("atlas_schema_revisions", "atlas_schema_revisions", "version"), (history.PostgresSchema, history.Table, history.Column));
    }

    [Fact]
    public void An_atlas_file_changed_after_the_sum_was_written_is_an_error_naming_it()
    {
        using var dir = AtlasFolder(email: "ALTER TABLE users ADD COLUMN email text NOT NULL;\n");

        var result = MigrationFolder.Load(dir.Path);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.EndsWith("20240103000000_add_email.sql", problem.Path, StringComparison.Ordinal);
        Assert.Contains("does not match its hash in atlas.sum", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_atlas_file_missing_from_the_sum_and_a_hand_edited_sum_are_errors()
    {
        using (var added = AtlasFolder().Write("20240104000000_more.sql", "SELECT 1;\n"))
        {
            var problem = Assert.Single(MigrationFolder.Load(added.Path).Problems);
            Assert.EndsWith("20240104000000_more.sql", problem.Path, StringComparison.Ordinal);
            Assert.Contains("not listed in atlas.sum", problem.Message, StringComparison.Ordinal);
        }

        using var edited = AtlasFolder().Write("atlas.sum", AtlasSumText.Replace("h1:+8gA", "h1:+9gA", StringComparison.Ordinal));
        var corrupt = Assert.Single(MigrationFolder.Load(edited.Path).Problems);
        Assert.EndsWith("atlas.sum", corrupt.Path, StringComparison.Ordinal);
        Assert.Contains("first line", corrupt.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("golang-migrate", "1_users.up.sql", "1_users.down.sql", "stepwise")]
    [InlineData("goose", "1_users.sql", null, "goose")]
    [InlineData("flyway", "V1__users.sql", null, "flyway")]
    public void A_folder_atlas_wrote_in_another_tools_format_stays_that_tools(string format, string up, string? down, string expected)
    {
        using var dir = new TempFolder()
            .Write(up, format == "goose" ? "-- +goose Up\n" + Users + "-- +goose Down\nDROP TABLE users;\n" : Users)
            .Write("atlas.sum", "h1:ignored\n");
        if (down is not null)
        {
            dir.Write(down, "DROP TABLE users;\n");
        }

        Assert.Equal(expected, MigrationFolder.Load(dir.Path).Layout.Name);
    }

    private const string Changelog = """
        --liquibase formatted sql

        --changeset nvoxland:1
        CREATE TABLE test1 (id int PRIMARY KEY, name varchar(255));
        --rollback DROP TABLE test1;

        --changeset nvoxland:2 runInTransaction:false
        CREATE INDEX CONCURRENTLY test1_name ON test1 (name);
        --rollback DROP INDEX test1_name;

        --changeset other.dev:3 labels:feature
        --comment: no rollback given
        ALTER TABLE test1 ADD COLUMN email text;

        """;

    [Fact]
    public void A_liquibase_changelog_gives_one_migration_per_changeset_with_rollbacks_as_downs()
    {
        using var dir = new TempFolder()
            .Write("001-init.sql", Changelog)
            .Write("002-more.sql", "--liquibase formatted sql\n--changeset nvoxland:4\nALTER TABLE test1 ADD COLUMN age int;\n--rollback ALTER TABLE test1 DROP COLUMN age;\n")
            .Write("README.md", "not sql");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("liquibase", result.Layout.Name);
        Assert.Equal("found 2 files starting '--liquibase formatted sql'", result.DetectedBecause);
        Assert.Empty(result.Problems);
        Assert.Equal(["nvoxland:1", "nvoxland:2", "other.dev:3", "nvoxland:4"], result.Migrations.Select(m => m.Version));

        var first = result.Migrations[0];
        Assert.Contains("CREATE TABLE test1", first.Up.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE INDEX", first.Up.Text, StringComparison.Ordinal);
        Assert.Equal(first.Up.Text.Length, first.Down!.Text.Length); // positions match the file
        Assert.Equal("DROP TABLE test1;", first.Down.Text.Trim());

        var index = result.Migrations[1];
        Assert.True(index.Up.NoTransaction);
        Assert.Equal("runInTransaction:false on '--changeset nvoxland:2'", index.Up.NoTransactionReason);
        Assert.Contains("CREATE INDEX CONCURRENTLY", index.Up.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("ADD COLUMN email", index.Up.Text, StringComparison.Ordinal);
        Assert.False(first.Up.NoTransaction);
        Assert.Null(result.Migrations[2].Down);

        // one file, several changesets: each its own checksum, so editing one leaves the others applied as they were
        Assert.Equal(4, result.Migrations.Select(m => Stepwise.Migrations.Planning.MigrationSet.Checksum(m.Up)).Distinct().Count());

        var history = result.Layout.History!.History;
        Assert.Equal(("databasechangelog", "author", "id"), (history.Table, history.Column, history.MoreColumns.Single()));
    }

    [Fact]
    public void A_liquibase_changeset_id_used_twice_and_a_changelog_without_changesets_are_errors()
    {
        using var dir = new TempFolder()
            .Write("001-init.sql", Changelog)
            .Write("002-copy.sql", "--liquibase formatted sql\n--changeset nvoxland:1\nSELECT 1;\n")
            .Write("003-empty.sql", "--liquibase formatted sql\nSELECT 2;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error && p.Path.EndsWith("002-copy.sql", StringComparison.Ordinal) && p.Message.Contains("nvoxland:1 is also in", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error && p.Path.EndsWith("003-empty.sql", StringComparison.Ordinal) && p.Message.Contains("no '--changeset", StringComparison.Ordinal));
    }

    private static TempFolder PopFolder() => new TempFolder()
        .Write("20150100000001000000_identities.cockroach.up.sql", "CREATE TABLE identities (id UUID NOT NULL PRIMARY KEY);\n")
        .Write("20150100000001000000_identities.cockroach.down.sql", "DROP TABLE identities;\n")
        .Write("20150100000001000000_identities.postgres.up.sql", "CREATE TABLE identities (id UUID NOT NULL PRIMARY KEY);\n")
        .Write("20150100000001000000_identities.postgres.down.sql", "DROP TABLE identities;\n")
        .Write("20150100000001000000_identities.mysql.up.sql", "CREATE TABLE identities (id CHAR(36) NOT NULL PRIMARY KEY);\n")
        .Write("20150100000001000000_identities.mysql.down.sql", "DROP TABLE identities;\n")
        .Write("20150100000001000000_identities.sqlite3.up.sql", "CREATE TABLE identities (id TEXT NOT NULL PRIMARY KEY);\n")
        .Write("20150100000001000000_identities.sqlite3.down.sql", "DROP TABLE identities;\n")
        .Write("20150100000002000000_traits.up.sql", "ALTER TABLE identities ADD COLUMN traits TEXT;\n")
        .Write("20150100000002000000_traits.down.sql", "ALTER TABLE identities DROP COLUMN traits;\n")
        .Write("20150100000003000000_schema.up.fizz", "create_table(\"x\") {}\n");

    [Theory]
    [InlineData(Sql.SqlDialect.PostgreSql, "UUID")]
    [InlineData(Sql.SqlDialect.MySql, "CHAR(36)")]
    [InlineData(Sql.SqlDialect.Sqlite, "TEXT")]
    public void A_pop_folder_reads_the_chosen_dialects_files_and_the_files_for_all(Sql.SqlDialect dialect, string idType)
    {
        using var dir = PopFolder();

        var result = MigrationFolder.Load(dir.Path, null, dialect);

        Assert.Equal("pop", result.Layout.Name);
        Assert.StartsWith("found 9 files named {version}_{name}.{dialect}.up.sql or .fizz", result.DetectedBecause, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains(result.Problems, p => p.Path.EndsWith(".fizz", StringComparison.Ordinal) && p.Message.Contains("fizz", StringComparison.Ordinal));
        Assert.Equal(["20150100000001000000", "20150100000002000000"], result.Migrations.Select(m => m.Version));
        Assert.Equal(["identities", "traits"], result.Migrations.Select(m => m.Name));
        Assert.Contains($"id {idType} NOT NULL", result.Migrations[0].Up.Text, StringComparison.Ordinal);
        Assert.Equal("DROP TABLE identities;\n", result.Migrations[0].Down!.Text);
        Assert.Contains("DROP COLUMN traits", result.Migrations[1].Down!.Text, StringComparison.Ordinal);
        Assert.All(result.Migrations, m => Assert.False(m.Up.NoTransaction));
        Assert.Equal("schema_migration", result.Layout.History!.History.Table);
    }

    [Fact]
    public void Lint_reads_a_pop_folder_for_the_dialect_it_was_given()
    {
        using var dir = PopFolder();

        var sources = LintSources.Read([dir.Path], null, () => new StringReader(string.Empty), Sql.SqlDialect.Sqlite);

        Assert.DoesNotContain(sources.Problems, p => p.Severity == ProblemSeverity.Note);
        Assert.Equal(
            ["20150100000001000000_identities.sqlite3.up.sql", "20150100000001000000_identities.sqlite3.down.sql", "20150100000002000000_traits.up.sql", "20150100000002000000_traits.down.sql"],
            sources.Inputs.Select(i => Path.GetFileName(i.Source.Path)));
    }

    [Fact]
    public void A_pop_folder_without_a_dialect_reads_postgres_and_says_so_and_an_unknown_dialect_is_an_error()
    {
        using var dir = PopFolder().Write("20150100000004000000_x.oracle.up.sql", "SELECT 1 FROM dual;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("pop", result.Layout.Name);
        Assert.Contains("id UUID", result.Migrations[0].Up.Text, StringComparison.Ordinal);
        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Note && p.Message.Contains("no dialect given", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error && p.Path.EndsWith("x.oracle.up.sql", StringComparison.Ordinal) && p.Message.Contains("'oracle'", StringComparison.Ordinal));
    }
}
