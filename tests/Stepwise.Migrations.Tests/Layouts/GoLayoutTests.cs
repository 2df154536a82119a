using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Layouts;

/// <summary>goose and sql-migrate folders, written as their READMEs show them.</summary>
public sealed class GoLayoutTests
{
    private const string GooseFunction = """
        -- +goose Up
        -- +goose StatementBegin
        CREATE OR REPLACE FUNCTION histories_partition_creation( DATE, DATE )
        returns void AS $$
        DECLARE
          create_query text;
        BEGIN
          FOR create_query IN SELECT
              'CREATE TABLE IF NOT EXISTS histories_'
              || TO_CHAR( d, 'YYYY_MM' )
              || ' ( CHECK( created_at >= timestamp '''
              || TO_CHAR( d, 'YYYY-MM-DD 00:00:00' )
              || ''' AND created_at < timestamp '''
              || TO_CHAR( d + INTERVAL '1 month', 'YYYY-MM-DD 00:00:00' )
              || ''' ) ) inherits ( histories );'
            FROM generate_series( $1, $2, '1 month' ) AS d
          LOOP
            EXECUTE create_query;
          END LOOP;  -- LOOP END
        END;         -- FUNCTION END
        $$
        language plpgsql;
        -- +goose StatementEnd

        -- +goose Down
        -- +goose StatementBegin
        drop function histories_partition_creation(DATE, DATE);
        -- +goose StatementEnd
        """;

    private static TempFolder GooseFolder() => new TempFolder()
        .Write("00001_create_post.sql", """
            -- +goose Up
            CREATE TABLE post (
                id int NOT NULL,
                title text,
                body text,
                PRIMARY KEY(id)
            );

            -- +goose Down
            DROP TABLE post;
            """)
        .Write("00002_partitions.sql", GooseFunction)
        .Write("00010_index.sql", """
            -- +goose NO TRANSACTION
            -- +goose Up
            CREATE INDEX CONCURRENTLY post_title ON post (title);

            -- +goose Down
            DROP INDEX CONCURRENTLY post_title;
            """)
        .Write("00003_seed.go", "package migrations\n");

    [Fact]
    public void A_goose_folder_is_detected_ordered_and_split_into_up_and_down()
    {
        using var dir = GooseFolder();

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("goose", result.Layout.Name);
        Assert.Equal("found 3 files with a '-- +goose Up' line", result.DetectedBecause);
        Assert.DoesNotContain(result.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Contains(result.Problems, p => p.Path.EndsWith("00003_seed.go", StringComparison.Ordinal) && p.Message.Contains("Go migration", StringComparison.Ordinal));
        Assert.Equal(["00001", "00002", "00010"], result.Migrations.Select(m => m.Version));
        Assert.Equal(["create_post", "partitions", "index"], result.Migrations.Select(m => m.Name));

        var post = result.Migrations[0];
        Assert.Contains("CREATE TABLE post", post.Up.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("DROP TABLE post", post.Up.Text, StringComparison.Ordinal);
        Assert.Contains("DROP TABLE post", post.Down!.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TABLE post", post.Down.Text, StringComparison.Ordinal);
        Assert.Equal(post.Up.Text.Length, post.Down.Text.Length); // positions match the file
        Assert.False(post.Up.NoTransaction);

        var function = result.Migrations[1];
        Assert.Contains("language plpgsql;", function.Up.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("drop function", function.Up.Text, StringComparison.Ordinal);

        var index = result.Migrations[2];
        Assert.True(index.Up.NoTransaction);
        Assert.Equal("-- +goose NO TRANSACTION", index.Up.NoTransactionReason);
        Assert.True(index.Down!.NoTransaction);
    }

    [Fact]
    public void A_goose_file_without_an_up_marker_and_a_duplicate_version_are_errors()
    {
        using var dir = GooseFolder()
            .Write("00004_plain.sql", "CREATE TABLE x (id int);\n")
            .Write("4_again.sql", "-- +goose Up\nSELECT 1;\n");

        var result = MigrationFolder.Load(dir.Path, LayoutKind.Find("goose"));

        Assert.Contains(result.Problems, p => p.Severity == ProblemSeverity.Error && p.Message.Contains("duplicate version 4", StringComparison.Ordinal));
    }

    [Fact]
    public void Goose_versions_compare_as_numbers_and_its_history_skips_the_version_0_row()
    {
        var goose = LayoutKind.Find("goose")!;
        Assert.Equal(goose.ParseVersion("00010"), goose.ParseVersion("10"));
        Assert.True(goose.ParseVersion("9") < goose.ParseVersion("00010"));
        var history = goose.History!.History;
        Assert.Equal("goose_db_version", history.Table);
        Assert.Equal("version_id", history.Column);
        Assert.Contains(history.Conditions, c => c.Column == "version_id" && c.Test == Engines.HistoryTest.IsPositive);
        Assert.Contains(history.Conditions, c => c.Column == "is_applied" && c.Test == Engines.HistoryTest.IsTrue);
    }

    [Fact]
    public void A_sql_migrate_folder_is_detected_and_ordered_by_its_leading_number()
    {
        using var dir = new TempFolder()
            .Write("1_init.sql", """
                -- +migrate Up
                CREATE TABLE people (id int);

                -- +migrate Down
                DROP TABLE people;
                """)
            .Write("10_index.sql", """
                -- +migrate Up notransaction
                CREATE INDEX CONCURRENTLY people_id ON people (id);

                -- +migrate Down
                DROP INDEX people_id;
                """)
            .Write("2_function.sql", """
                -- +migrate Up
                -- +migrate StatementBegin
                CREATE FUNCTION do_something()
                returns void AS $$
                DECLARE
                  create_query text;
                BEGIN
                    -- Do something here
                END;
                $$
                language plpgsql;
                -- +migrate StatementEnd

                -- +migrate Down
                DROP FUNCTION do_something();
                """);

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("sql-migrate", result.Layout.Name);
        Assert.Equal("found 3 files with a '-- +migrate Up' line", result.DetectedBecause);
        Assert.Empty(result.Problems);
        Assert.Equal(["1", "2", "10"], result.Migrations.Select(m => m.Version)); // 10 after 2, unlike name order
        var index = result.Migrations[2];
        Assert.True(index.Up.NoTransaction);
        Assert.Equal("notransaction on '-- +migrate Up'", index.Up.NoTransactionReason);
        Assert.False(index.Down!.NoTransaction);
        Assert.DoesNotContain("DROP TABLE", result.Migrations[0].Up.Text, StringComparison.Ordinal);
        Assert.Contains("DROP TABLE people", result.Migrations[0].Down!.Text, StringComparison.Ordinal);

        // gorp_migrations.id is the file name: it orders like the file
        var layout = result.Layout;
        Assert.Equal(result.Migrations[2].OrderKey, layout.ParseVersion("10_index.sql"));
        Assert.Equal("gorp_migrations", layout.History!.History.Table);
    }

    [Fact]
    public void Goose_markers_win_over_plain_numbered_names_and_an_unmarked_file_is_an_error()
    {
        using var dir = new TempFolder()
            .Write("1_a.sql", "-- +goose Up\nSELECT 1;\n")
            .Write("2_b.sql", "-- +goose Up\nSELECT 2;\n")
            .Write("3_c.sql", "SELECT 3;\n");

        var result = MigrationFolder.Load(dir.Path);

        Assert.Equal("goose", result.Layout.Name); // sqlx's plain names are only a guess
        Assert.Contains(result.Problems, p => p.Path.EndsWith("3_c.sql", StringComparison.Ordinal) && p.Message.Contains("'-- +goose Up'", StringComparison.Ordinal));
    }
}
