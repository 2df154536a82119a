using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Tests;

/// <summary>`-- stepwise:backfill` files: what the linter rejects as invalid-backfill (so `up` never meets a
/// file it cannot batch), what it accepts, and the options the runner receives.</summary>
public sealed class BackfillDirectiveTests
{
    private const string CreateUsers = "CREATE TABLE users (id bigint PRIMARY KEY, username text NOT NULL, display_name text);\n";

    private static List<Finding> Lint(string backfill, SqlDialect dialect = SqlDialect.PostgreSql, string history = CreateUsers)
    {
        var inputs = new List<LintInput>
        {
            new(new SourceText(history, "0001_create.up.sql")),
            new(new SourceText(backfill, "0002_fill.up.sql")),
        };
        var report = Linter.Lint(inputs, new LintOptions { Dialect = dialect });
        return [.. report.Findings.Where(f => f.Path == "0002_fill.up.sql")];
    }

    private static BackfillFile? Read(string text, out BackfillFileProblem? problem, SqlDialect dialect = SqlDialect.PostgreSql) =>
        BackfillDirective.Read(ParsedScript.Parse(new SourceText(text, "x.sql"), dialect), out problem);

    [Theory]
    [InlineData("-- stepwise:backfill\nUPDATE users SET display_name = username WHERE display_name IS NULL;\n")]
    [InlineData("\r\n-- stepwise:backfill name=fill_names batch-size=500 batch-time=150ms sleep=0 lock-timeout=2s\r\nUPDATE users SET display_name = username;\r\n")]
    [InlineData("-- stepwise:backfill\n-- why: names for the new profile page\nUPDATE users SET display_name = (SELECT upper(u2.username) FROM users u2 WHERE u2.id = users.id)\nWHERE display_name IS NULL\n")]
    [InlineData("-- STEPWISE:BACKFILL Batch-Size=10\nupdate public.users set display_name = username, username = lower(username)")]
    public void Accepts_a_backfill_file_the_runner_can_batch(string text)
    {
        var findings = Lint(text);
        Assert.DoesNotContain(findings, f => f.Rule == Linter.InvalidBackfillRule);
        // a backfill file's UPDATE is batched by the runner: the whole-table rule has nothing to say
        Assert.DoesNotContain(findings, f => f.Rule == "unbatched-data-change");
        Assert.NotNull(Read(text, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("-- stepwise:backfill batch-size=0\nUPDATE users SET display_name = username;", "batch-size=0")]
    [InlineData("-- stepwise:backfill batch-time=fast\nUPDATE users SET display_name = username;", "batch-time=fast")]
    [InlineData("-- stepwise:backfill colour=red\nUPDATE users SET display_name = username;", "unknown option 'colour=red'")]
    [InlineData("-- stepwise:backfill name=\nUPDATE users SET display_name = username;", "name=")]
    [InlineData("-- stepwise:backfill name=a'b\nUPDATE users SET display_name = username;", "name=a'b")]
    [InlineData("-- stepwise:backfill lock-timeout=0ms\nUPDATE users SET display_name = username;", "lock-timeout=0ms")]
    [InlineData("-- stepwise:backfill sleep=2000m\nUPDATE users SET display_name = username;", "sleep=2000m")]
    [InlineData("-- stepwise:backfill nice-ratio=-1\nUPDATE users SET display_name = username;", "nice-ratio=-1")]
    [InlineData("-- stepwise:backfill nice-ratio=101\nUPDATE users SET display_name = username;", "nice-ratio=101")]
    [InlineData("-- stepwise:backfill nice-ratio=gentle\nUPDATE users SET display_name = username;", "a number from 0 to 100")]
    [InlineData("-- stepwise:backfills\nUPDATE users SET display_name = username;", "unknown directive")]
    [InlineData("-- stepwise:backfill\n", "no statement")]
    [InlineData("-- stepwise:backfill\nUPDATE users SET display_name = username;\nUPDATE users SET username = lower(username);", "2 statements")]
    [InlineData("-- stepwise:backfill\nALTER TABLE users ADD COLUMN age int;\nUPDATE users SET age = 0;", "2 statements")]
    [InlineData("-- stepwise:backfill\nDELETE FROM users WHERE display_name IS NULL;", "one DELETE")]
    [InlineData("-- stepwise:backfill\nUPDATE users u SET display_name = u.username;", "alias")]
    [InlineData("-- stepwise:backfill\nUPDATE users SET display_name = o.name FROM others o WHERE o.id = users.id;", "FROM")]
    [InlineData("-- stepwise:backfill\nUPDATE users SET display_name = username WHERE id > 0 RETURNING id;", "'RETURNING'")]
    [InlineData("-- stepwise:backfill\nUPDATE users SET display_name = username RETURNING id;", "after its SET list")]
    [InlineData("-- stepwise:backfill\nUPDATE users SET nickname = username;", "no column nickname")]
    public void Rejects_what_the_runner_cannot_run(string text, string expected)
    {
        var findings = Lint(text).Where(f => f.Rule == Linter.InvalidBackfillRule).ToList();
        var finding = Assert.Single(findings);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(finding.Help));
    }

    [Fact]
    public void Mysql_limit_order_by_and_join_are_rejected()
    {
        const string history = "CREATE TABLE users (id bigint PRIMARY KEY, username varchar(50) NOT NULL, display_name varchar(50));\n";
        Assert.Contains("LIMIT", Assert.Single(Lint("-- stepwise:backfill\nUPDATE users SET display_name = username LIMIT 100;", SqlDialect.MySql, history), f => f.Rule == Linter.InvalidBackfillRule).Message, StringComparison.Ordinal);
        Assert.Contains("'ORDER'", Assert.Single(Lint("-- stepwise:backfill\nUPDATE users SET display_name = username WHERE id > 0 ORDER BY id;", SqlDialect.MySql, history), f => f.Rule == Linter.InvalidBackfillRule).Message, StringComparison.Ordinal);
        Assert.Contains("more than one table", Assert.Single(Lint("-- stepwise:backfill\nUPDATE users JOIN others ON others.id = users.id SET display_name = others.name;", SqlDialect.MySql, history), f => f.Rule == Linter.InvalidBackfillRule).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_any_key_is_rejected_on_mysql_only()
    {
        const string history = "CREATE TABLE events (kind text NOT NULL, seen boolean);\n";
        const string fill = "-- stepwise:backfill\nUPDATE events SET seen = false WHERE seen IS NULL;";
        var finding = Assert.Single(Lint(fill, SqlDialect.MySql, history), f => f.Rule == Linter.InvalidBackfillRule).Message;
        Assert.Contains("no primary key and no unique index whose columns are all NOT NULL", finding, StringComparison.Ordinal);
        Assert.Contains("Add a primary key, or a unique index on NOT NULL columns", finding, StringComparison.Ordinal);
        Assert.DoesNotContain(Lint(fill, SqlDialect.PostgreSql, history), f => f.Rule == Linter.InvalidBackfillRule); // ctid ranges
        Assert.DoesNotContain(Lint(fill, SqlDialect.Sqlite, history), f => f.Rule == Linter.InvalidBackfillRule); // rowid
        // a unique index on NOT NULL columns is walked instead; on a nullable column it is not enough
        Assert.DoesNotContain(Lint(fill, SqlDialect.MySql, history + "CREATE UNIQUE INDEX events_kind ON events (kind);\n"), f => f.Rule == Linter.InvalidBackfillRule);
        Assert.Single(Lint(fill, SqlDialect.MySql, history + "CREATE UNIQUE INDEX events_seen ON events (seen);\n"), f => f.Rule == Linter.InvalidBackfillRule);
        // a primary key added later in the history counts
        Assert.DoesNotContain(Lint(fill, SqlDialect.MySql, history + "ALTER TABLE events ADD COLUMN id bigint AUTO_INCREMENT PRIMARY KEY;\n"), f => f.Rule == Linter.InvalidBackfillRule);
        // a table the migrations never created is checked by the runner against the database, not here
        Assert.DoesNotContain(Lint("-- stepwise:backfill\nUPDATE legacy SET x = 1;"), f => f.Rule == Linter.InvalidBackfillRule);
    }

    [Fact]
    public void An_invalid_backfill_cannot_be_suppressed()
    {
        var findings = Lint("-- stepwise:backfill batch-size=-1\n-- stepwise:ignore invalid-backfill we know\nUPDATE users SET display_name = username;");
        Assert.Contains(findings, f => f.Rule == Linter.InvalidBackfillRule);
    }

    [Fact]
    public void Without_the_directive_on_the_first_line_the_file_is_ordinary_sql()
    {
        const string text = "UPDATE users SET display_name = username;\n-- stepwise:backfill\n";
        Assert.Null(Read(text, out var problem));
        Assert.Null(problem);
        var findings = Lint(text);
        Assert.DoesNotContain(findings, f => f.Rule == Linter.InvalidBackfillRule);
        Assert.Contains(findings, f => f.Rule == "unbatched-data-change");
    }

    [Fact]
    public void Options_and_parts_reach_the_runner_as_written()
    {
        var file = Read("-- stepwise:backfill name=users_names batch-size=250 batch-time=1.5s sleep=20ms nice-ratio=0.5 lock-timeout=3s\nUPDATE users SET display_name = username, username = lower(username) WHERE display_name IS NULL;", out _);
        Assert.NotNull(file);
        Assert.Equal(new BackfillOptions("users_names", 250, TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(3)) { NiceRatio = 0.5 }, file.Options);
        Assert.Equal("users", file.Table);
        Assert.Equal("display_name = username, username = lower(username)", file.Set);
        Assert.Equal("display_name IS NULL", file.Where);

        var bare = Read("-- stepwise:backfill\nUPDATE \"Users\" SET a = 1", out _);
        Assert.NotNull(bare);
        Assert.Equal(new BackfillOptions(null, null, null, null, null), bare.Options);
        Assert.Null(bare.Where);
    }

    [Fact]
    public void Unbatched_update_alone_in_its_file_is_offered_the_directive_as_a_fix()
    {
        const string text = "-- names for the profile page\nUPDATE users SET display_name = username WHERE display_name IS NULL;\n";
        var finding = Assert.Single(Lint(text), f => f.Rule == "unbatched-data-change");
        var fix = Assert.IsType<Fix>(finding.Fix);
        var fixedText = fix.Apply(text);
        Assert.StartsWith("-- stepwise:backfill\n-- names", fixedText, StringComparison.Ordinal);
        var after = Lint(fixedText);
        Assert.DoesNotContain(after, f => f.Rule is "unbatched-data-change" or Linter.InvalidBackfillRule);
    }

    [Theory]
    [InlineData("UPDATE users SET display_name = username;\nUPDATE users SET username = lower(username);\n")] // two statements
    [InlineData("ALTER TABLE users ADD COLUMN age int;\nUPDATE users SET age = 0;\n")] // schema and data
    [InlineData("UPDATE users SET nickname = username;\n")] // no such column: the backfill would be invalid
    [InlineData("DELETE FROM users;\n")] // a backfill is an UPDATE
    [InlineData("UPDATE users u SET display_name = u.username;\n")] // alias
    public void No_fix_when_the_file_would_not_be_a_valid_backfill(string text)
    {
        var findings = Lint(text).Where(f => f.Rule == "unbatched-data-change").ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Null(f.Fix));
    }

    [Fact]
    public void No_fix_for_a_mysql_table_without_any_key_but_one_on_postgresql()
    {
        const string history = "CREATE TABLE events (kind text NOT NULL, seen boolean);\n";
        Assert.Null(Assert.Single(Lint("UPDATE events SET seen = false;\n", SqlDialect.MySql, history), f => f.Rule == "unbatched-data-change").Fix);
        Assert.NotNull(Assert.Single(Lint("UPDATE events SET seen = false;\n", SqlDialect.PostgreSql, history), f => f.Rule == "unbatched-data-change").Fix); // ctid ranges
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("3", 3000)]
    [InlineData(" 20MS ", 20)]
    public void Durations_parse(string text, double ms)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(ms), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ms")]
    [InlineData("-1s")]
    [InlineData("1e3ms")]
    [InlineData("fast")]
    [InlineData("2h")]
    [InlineData("1441m")]
    public void Bad_durations_do_not_parse(string text) => Assert.False(DurationText.TryParse(text, out _));
}
