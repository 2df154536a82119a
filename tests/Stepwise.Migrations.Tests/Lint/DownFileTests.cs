using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;

namespace Stepwise.Migrations.Tests.Lint;

/// <summary>Issue 14 item 2: in file-list and stdin modes a down migration is recognised by its name or its
/// section markers, linted on the schema its up left, and never replayed as forward history.</summary>
public sealed class DownFileTests
{
    private static IReadOnlyList<Finding> Lint(LintSources sources) => Linter.Lint(sources.Inputs, new LintOptions()).Findings;

    private static LintSources Files(TempFolder dir, params string[] relative) =>
        LintSources.Read([.. relative.Select(dir.Full)], null, () => TextReader.Null);

    [Fact]
    public void A_down_file_given_before_its_up_is_linted_after_it_as_a_down()
    {
        using var dir = new TempFolder()
            .Write("0001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50));")
            .Write("0002_email.up.sql", "ALTER TABLE users ADD COLUMN email text;")
            .Write("0002_email.down.sql", "ALTER TABLE users DROP COLUMN email;");

        // the path-string order puts the down first
        var sources = Files(dir, "0001_users.up.sql", "0002_email.down.sql", "0002_email.up.sql");

        Assert.Equal(["0001_users.up.sql", "0002_email.up.sql", "0002_email.down.sql"], sources.Inputs.Select(i => Path.GetFileName(i.Source.Path)));
        Assert.Equal([false, false, true], sources.Inputs.Select(i => i.IsDown));
        Assert.Empty(Lint(sources));
    }

    [Fact]
    public void A_down_is_never_replayed_as_forward_history()
    {
        using var dir = new TempFolder()
            .Write("0001_users.up.sql", "CREATE TABLE users (id bigint PRIMARY KEY, name varchar(50));")
            .Write("0001_users.down.sql", "DROP TABLE users;")
            .Write("0002_widen.up.sql", "ALTER TABLE users ALTER COLUMN name TYPE varchar(100);");

        var findings = Lint(Files(dir, "0001_users.down.sql", "0001_users.up.sql", "0002_widen.up.sql"));

        // had the down been replayed, the table would be gone and the widening "old type unknown"
        Assert.Empty(findings);
    }

    [Fact]
    public void A_file_list_is_ordered_by_version_not_by_path_string()
    {
        using var dir = new TempFolder()
            .Write("9_a.up.sql", "CREATE TABLE a (id int);")
            .Write("10_b.up.sql", "DROP TABLE a;");

        var sources = Files(dir, "10_b.up.sql", "9_a.up.sql");

        Assert.Equal(["9_a.up.sql", "10_b.up.sql"], sources.Inputs.Select(i => Path.GetFileName(i.Source.Path)));
    }

    [Theory]
    [InlineData("2024-01-02-000000_add_email/down.sql", "2024-01-02-000000_add_email/up.sql")]
    [InlineData("0002_add_email_down.sql", "0002_add_email_up.sql")]
    [InlineData("U2__add_email.sql", "V2__add_email.sql")]
    [InlineData("20240102000000_add_email.postgres.down.sql", "20240102000000_add_email.postgres.up.sql")]
    public void Down_files_are_recognised_by_their_names(string down, string up)
    {
        var first = up.StartsWith('V') ? "V1__users.sql" : up.Contains('/', StringComparison.Ordinal) ? "2024-01-01-000000_users/up.sql" : up.StartsWith("2024", StringComparison.Ordinal) ? "20240101000000_users.postgres.up.sql" : "0001_users_up.sql";
        using var dir = new TempFolder()
            .Write(first, "CREATE TABLE users (id bigint PRIMARY KEY);")
            .Write(up, "ALTER TABLE users ADD COLUMN email text;")
            .Write(down, "ALTER TABLE users DROP COLUMN email;");

        var sources = Files(dir, down, up, first);

        Assert.Equal([first, up, down], sources.Inputs.Select(i => Path.GetRelativePath(dir.Path, i.Source.Path).Replace('\\', '/')));
        Assert.Equal([false, false, true], sources.Inputs.Select(i => i.IsDown));
        Assert.Empty(Lint(sources));
    }

    [Theory]
    [InlineData("-- migrate:up\nALTER TABLE users ADD COLUMN email text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN email;\n")]
    [InlineData("-- +goose Up\nALTER TABLE users ADD COLUMN email text;\n\n-- +goose Down\nALTER TABLE users DROP COLUMN email;\n")]
    [InlineData("-- +migrate Up\nALTER TABLE users ADD COLUMN email text;\n\n-- +migrate Down\nALTER TABLE users DROP COLUMN email;\n")]
    [InlineData("--liquibase formatted sql\n--changeset me:2\nALTER TABLE users ADD COLUMN email text;\n--rollback ALTER TABLE users DROP COLUMN email;\n")]
    public void Down_sections_of_a_file_are_downs(string text)
    {
        using var dir = new TempFolder()
            .Write("0001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);")
            .Write("0002_email.sql", text);

        var sources = Files(dir, "0002_email.sql", "0001_users.sql");

        Assert.Equal([false, false, true], sources.Inputs.Select(i => i.IsDown));
        Assert.Empty(Lint(sources));
        // the down is linted on the schema its up left: its locking rules still see the live table
        Assert.All(sources.Inputs.Skip(1), i => Assert.Equal(text.Length, i.Source.Text.Length));
    }

    [Fact]
    public void Standard_input_with_goose_sections_has_its_down_recognised()
    {
        var sources = LintSources.Read(["-"], null, () => new StringReader("-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n"));

        Assert.Equal([false, true], sources.Inputs.Select(i => i.IsDown));
        Assert.Empty(Lint(sources));
    }
}
