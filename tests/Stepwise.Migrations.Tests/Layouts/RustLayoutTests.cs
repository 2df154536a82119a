using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

/// <summary>Diesel and sqlx folders, written as `diesel migration generate` and `sqlx migrate add` write them.</summary>
public sealed class RustLayoutTests
{
    [Fact]
    public void A_diesel_folder_is_detected_and_its_versions_lose_their_dashes()
    {
        using var dir = new TempFolder()
            .Write("00000000000000_diesel_initial_setup/up.sql", "CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS VOID AS $$\nBEGIN\n    EXECUTE 'SELECT 1';\nEND;\n$$ LANGUAGE plpgsql;\n")
            .Write("00000000000000_diesel_initial_setup/down.sql", "DROP FUNCTION IF EXISTS diesel_manage_updated_at(_tbl regclass);\n")
            .Write("2024-01-02-103000_create_posts/up.sql", "CREATE TABLE posts (id SERIAL PRIMARY KEY, title VARCHAR NOT NULL);\n")
            .Write("2024-01-02-103000_create_posts/down.sql", "DROP TABLE posts;\n")
            .Write("2024-02-01-000000_index_posts/up.sql", "CREATE INDEX CONCURRENTLY posts_title ON posts (title);\n")
            .Write("2024-02-01-000000_index_posts/down.sql", "DROP INDEX posts_title;\n")
            .Write("2024-02-01-000000_index_posts/metadata.toml", "run_in_transaction = false\n")
            .Write(".keep", string.Empty);

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("diesel", result.Layout.Name);
        Assert.Equal("found 3 directories with an up.sql", result.DetectedBecause);
        Assert.Empty(result.Problems);
        Assert.Equal(["00000000000000", "20240102103000", "20240201000000"], result.Migrations.Select(m => m.Version));
        Assert.Equal(["diesel_initial_setup", "create_posts", "index_posts"], result.Migrations.Select(m => m.Name));
        Assert.All(result.Migrations, m => Assert.NotNull(m.Down));
        Assert.EndsWith("2024-01-02-103000_create_posts/down.sql", result.Migrations[1].Down!.Path, StringComparison.Ordinal);
        Assert.True(result.Migrations[2].Up.NoTransaction);
        Assert.Equal("run_in_transaction = false in metadata.toml", result.Migrations[2].Up.NoTransactionReason);
        Assert.False(result.Migrations[1].Up.NoTransaction);

        // a version as the user writes it, or as __diesel_schema_migrations records it
        Assert.Equal(result.Migrations[1].OrderKey, result.Layout.ParseVersion("2024-01-02-103000"));
        Assert.Equal(result.Migrations[1].OrderKey, result.Layout.ParseVersion("20240102103000"));
        Assert.Equal("__diesel_schema_migrations", result.Layout.History!.History.Table);
    }

    [Fact]
    public void A_diesel_directory_without_up_sql_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("2024-01-02-103000_create_posts/up.sql", "CREATE TABLE posts (id int);\n")
            .Write("2024-01-03-103000_broken/down.sql", "DROP TABLE x;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("diesel", result.Layout.Name);
        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error && p.Path.EndsWith("2024-01-03-103000_broken", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sqlx_folder_of_simple_migrations_is_detected_as_a_guess_and_reads_no_transaction()
    {
        using var dir = new TempFolder()
            .Write("20240101000000_users.sql", "CREATE TABLE users (id BIGINT PRIMARY KEY);\n")
            .Write("20240102000000_index.sql", "-- no-transaction\nCREATE INDEX CONCURRENTLY users_id ON users (id);\n")
            .Write("3_small.sql", "SELECT 1;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("sqlx", result.Layout.Name);
        Assert.Contains("found 3 {version}_{description}.sql files", result.DetectedBecause, StringComparison.Ordinal);
        Assert.Empty(result.Problems);
        Assert.Equal(["3", "20240101000000", "20240102000000"], result.Migrations.Select(m => m.Version));
        Assert.True(result.Migrations[2].Up.NoTransaction);
        Assert.Equal("-- no-transaction", result.Migrations[2].Up.NoTransactionReason);
        Assert.False(result.Migrations[1].Up.NoTransaction);
        Assert.Equal("_sqlx_migrations", result.Layout.History!.History.Table);
    }

    [Fact]
    public void A_reversible_sqlx_folder_is_read_as_sqlx_when_given_and_pairs_up_and_down()
    {
        using var dir = new TempFolder()
            .Write("20240101000000_users.up.sql", "CREATE TABLE users (id BIGINT PRIMARY KEY);\n")
            .Write("20240101000000_users.down.sql", "DROP TABLE users;\n")
            .Write("20240102000000_posts.up.sql", "CREATE TABLE posts (id BIGINT PRIMARY KEY);\n")
            .Write("20240103000000_lost.down.sql", "DROP TABLE lost;\n");

        Assert.Equal(LayoutKind.Stepwise, MigrationFolder.Load(dir.Path).Layout); // the same names: stepwise's reading, as documented

        var result = MigrationFolder.Load(dir.Path, LayoutKind.Find("sqlx"));

        Assert.Equal(["20240101000000", "20240102000000"], result.Migrations.Select(m => m.Version));
        Assert.Contains("DROP TABLE users", result.Migrations[0].Down!.Text, StringComparison.Ordinal);
        Assert.Null(result.Migrations[1].Down);
        var lost = Assert.Single(result.Problems);
        Assert.Contains("down migration without an up", lost.Message, StringComparison.Ordinal);
    }
}
