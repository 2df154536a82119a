namespace Stepwise.Sql.Tests.Differential;

/// <summary>The differential harness itself: the oracle wrapper, the trimming and the comparison must be able to fail.</summary>
public sealed class BoundaryComparisonTests
{
    private const string Known = "SELECT 1; /* c; */ INSERT INTO t VALUES ('a;b') -- x\n; SELECT 3";

    [Fact]
    public void Oracle_finds_three_statements_in_a_known_input()
    {
        var expected = Trimmed(Known);
        Assert.Equal(["SELECT 1", "INSERT INTO t VALUES ('a;b')", "SELECT 3"], expected.Select(s => Known.Substring(s.Start, s.Length)));
    }

    [Fact]
    public void Oracle_maps_utf8_byte_offsets_to_char_offsets()
    {
        const string text = "SELECT 'ünï😀'; SELECT \"名前\" FROM café";
        var spans = Trimmed(text);
        Assert.Equal(["SELECT 'ünï😀'", "SELECT \"名前\" FROM café"], spans.Select(s => text.Substring(s.Start, s.Length)));
    }

    [Fact]
    public void Oracle_reports_a_syntax_error_as_a_value()
    {
        var split = OracleOrFail("SELECT 'unterminated");
        Assert.True(split.Failed);
        Assert.Contains("unterminated", split.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Oracle_keeps_a_rule_with_several_actions_as_one_statement()
    {
        const string text = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); DELETE FROM b); SELECT 2";
        Assert.Equal(2, Trimmed(text).Count);
    }

    [Theory]
    [InlineData("  -- lead ; 'x\n /* a /* b */ ; */ SELECT 1 /* tail */ -- more\n ", "SELECT 1")]
    [InlineData("SELECT '--' || '/*'", "SELECT '--' || '/*'")]
    [InlineData("SELECT E'\\' -- ' -- real comment", "SELECT E'\\' -- '")]
    [InlineData("SELECT $a$ /* $$ */ $a$ /* c */", "SELECT $a$ /* $$ */ $a$")]
    [InlineData("SELECT x$$y$$ -- c", "SELECT x$$y$$")]
    [InlineData("SELECT \"--\" /**/", "SELECT \"--\"")]
    [InlineData("SELECT U&'\\0041' -- c", "SELECT U&'\\0041'")]
    [InlineData("SELECT E'a'\n 'x\\' ; ' /* c */", "SELECT E'a'\n 'x\\' ; '")]
    [InlineData("SELECT 'a'\n-- c\n'b\\' -- t", "SELECT 'a'\n-- c\n'b\\'")]
    [InlineData("SELECT E'a' -- c\n'b\\' ; ' -- t", "SELECT E'a' -- c\n'b\\' ; '")]
    [InlineData("SELECT E'a' /* c */\n'b\\' -- t", "SELECT E'a' /* c */\n'b\\'")]
    [InlineData(" /* only */ -- trivia\n", "")]
    public void Trimming_drops_comments_and_whitespace_but_not_quoted_text(string input, string expected)
    {
        var span = PgTrivia.Trim(input, new TextSpan(0, input.Length));
        Assert.Equal(expected, input.Substring(span.Start, span.Length));
    }

    [Fact]
    public void A_merged_split_is_reported_with_an_excerpt()
    {
        var expected = Trimmed(Known);
        var merged = new[] { TextSpan.FromBounds(expected[0].Start, expected[1].End), expected[2] };
        var report = BoundaryComparison.FirstMismatch("known.sql", Known, expected, merged);
        Assert.NotNull(report);
        Assert.Contains("statement #1", report, StringComparison.Ordinal);
        Assert.Contains("postgres found 3 statements, stepwise 2", report, StringComparison.Ordinal);
        Assert.Contains("«SELECT 1»", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_that_keeps_a_trailing_comment_is_reported()
    {
        var expected = Trimmed(Known);
        var sloppy = expected.ToList();
        sloppy[1] = TextSpan.FromBounds(sloppy[1].Start, Known.IndexOf('\n', StringComparison.Ordinal));
        var report = BoundaryComparison.FirstMismatch("known.sql", Known, expected, sloppy);
        Assert.NotNull(report);
        Assert.Contains("statement #2", report, StringComparison.Ordinal);
        Assert.Contains("previous (agreed)", report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_last_statement_is_reported()
    {
        var expected = Trimmed(Known);
        var report = BoundaryComparison.FirstMismatch("known.sql", Known, expected, expected.Take(2).ToList());
        Assert.NotNull(report);
        Assert.Contains("statement #3", report, StringComparison.Ordinal);
        Assert.Contains("(no statement)", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Identical_splits_are_not_reported()
    {
        var expected = Trimmed(Known);
        Assert.Null(BoundaryComparison.FirstMismatch("known.sql", Known, expected, expected.ToList()));
    }

    [Fact]
    public void Lexical_fuzz_is_deterministic_and_valid_for_the_scanner()
    {
        var a = LexicalFuzz.Generate(new Random(7), 5);
        var b = LexicalFuzz.Generate(new Random(7), 5);
        Assert.Equal(a, b);
        Assert.Null(OracleOrFail(a, OracleMode.Scanner).Error);
    }

    private static IReadOnlyList<TextSpan> Trimmed(string text)
    {
        var split = OracleOrFail(text);
        Assert.Null(split.Error);
        return BoundaryComparison.TrimOracle(text, split.Statements);
    }

    private static OracleSplit OracleOrFail(string text, OracleMode mode = OracleMode.Parser)
    {
        if (!PgQueryOracle.IsAvailable)
        {
            Assert.Fail(PgQueryOracle.InstallHint + " — " + PgQueryOracle.LoadError);
        }

        return PgQueryOracle.Split(text, mode);
    }
}
