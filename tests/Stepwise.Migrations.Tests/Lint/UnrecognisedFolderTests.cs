using Stepwise.Migrations.Layouts;

namespace Stepwise.Migrations.Tests.Lint;

/// <summary>Issue 14 item 1: a folder no layout matches is linted file by file in name order, with one note, never refused.</summary>
public sealed class UnrecognisedFolderTests
{
    [Fact]
    public void Name_ordered_scripts_are_linted_one_by_one_with_one_note()
    {
        using var dir = new TempFolder()
            .Write("b - add index.sql", "CREATE INDEX users_name ON users (name);\n")
            .Write("a - create users.sql", "CREATE TABLE users (id int, name text);\n")
            .Write("README.md", "# scripts");

        var sources = LintSources.Read([dir.Path], null, () => new StringReader(string.Empty));

        Assert.Empty(sources.Errors);
        Assert.Equal(["a - create users.sql", "b - add index.sql"], sources.Inputs.Select(i => Path.GetFileName(i.Source.Path)));
        var note = Assert.Single(sources.Problems);
        Assert.Equal(ProblemSeverity.Note, note.Severity);
        Assert.Contains("linted one by one in name order", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_named_as_dbup_names_them_are_read_as_a_dbup_folder_in_name_order()
    {
        using var dir = new TempFolder()
            .Write("Script0002 - add index.sql", "CREATE INDEX users_name ON users (name);\n")
            .Write("Script0001 - create users.sql", "CREATE TABLE users (id int, name text);\n");

        var sources = LintSources.Read([dir.Path], null, () => new StringReader(string.Empty));

        Assert.Empty(sources.Problems);
        Assert.Equal("dbup", Assert.Single(sources.Folders).Layout.Name);
        Assert.Equal(["Script0001 - create users.sql", "Script0002 - add index.sql"], sources.Inputs.Select(i => Path.GetFileName(i.Source.Path)));
    }

    [Fact]
    public void Up_and_down_files_by_name_keep_the_down_after_its_up_and_marked_as_down()
    {
        using var dir = new TempFolder()
            .Write("0001_users_down.sql", "DROP TABLE users;\n")
            .Write("0001_users_up.sql", "CREATE TABLE users (id int);\n");

        var sources = LintSources.Read([dir.Path], null, () => new StringReader(string.Empty));

        Assert.Equal(ProblemSeverity.Note, Assert.Single(sources.Problems).Severity);
        Assert.Equal(["0001_users_up.sql", "0001_users_down.sql"], sources.Inputs.Select(i => Path.GetFileName(i.Source.Path)));
        Assert.Equal([false, true], sources.Inputs.Select(i => i.IsDown));
    }

    [Fact]
    public void A_forced_layout_is_still_refused_nothing()
    {
        using var dir = new TempFolder().Write("create.sql", "CREATE TABLE a (id int);\n");

        var sources = LintSources.Read([dir.Path], LayoutKind.Flyway, () => new StringReader(string.Empty));

        Assert.Empty(sources.Inputs); // --layout flyway: read as Flyway, whose names this file lacks
        Assert.Contains(sources.Problems, p => p.Message.Contains("not named like a Flyway migration", StringComparison.Ordinal));
    }
}
