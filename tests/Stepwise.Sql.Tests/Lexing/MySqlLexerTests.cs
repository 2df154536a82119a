using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

public class MySqlLexerTests
{
    private const SqlDialect My = SqlDialect.MySql;

    [Fact]
    public void Hash_starts_a_line_comment()
    {
        Assert.Equal(
            [(TokenKind.LineComment, "# note; 'x"), (TokenKind.Word, "SELECT")],
            Lexed.Significant("# note; 'x\nSELECT", My));
    }

    [Theory]
    [InlineData("-- note")]
    [InlineData("--\tnote")]
    [InlineData("--")]
    public void Dash_dash_followed_by_whitespace_or_the_end_is_a_comment(string text)
    {
        Assert.Equal((TokenKind.LineComment, TokenFlags.None), Lexed.Single(text, My));
    }

    [Fact]
    public void Dash_dash_followed_by_a_newline_is_a_comment()
    {
        Assert.Equal([(TokenKind.LineComment, "--"), (TokenKind.Word, "x")], Lexed.Significant("--\nx", My));
    }

    [Fact]
    public void Dash_dash_glued_to_a_word_is_two_minus_operators()
    {
        Assert.Equal(
            [(TokenKind.Number, "1"), (TokenKind.Operator, "-"), (TokenKind.Operator, "-"), (TokenKind.Number, "1")],
            Lexed.Significant("1--1", My));
    }

    [Fact]
    public void Block_comments_do_not_nest()
    {
        Assert.Equal(
            [(TokenKind.BlockComment, "/* a /* b */"), (TokenKind.Word, "c"), (TokenKind.Operator, "*"), (TokenKind.Operator, "/")],
            Lexed.Significant("/* a /* b */ c */", My));
    }

    [Theory]
    [InlineData("/*! SET x = 1 */")]
    [InlineData("/*!40101 SET NAMES utf8 */")]
    [InlineData("/*M!100100 SET x = 1 */")]
    public void Executable_comments_are_conditional_comments(string text)
    {
        Assert.Equal((TokenKind.ConditionalComment, TokenFlags.None), Lexed.Single(text, My));
    }

    [Theory]
    [InlineData(@"'it\'s'")]
    [InlineData("'it''s'")]
    [InlineData(@"""say \""hi\""""")]
    [InlineData(@"""a""""b""")]
    [InlineData(@"'C:\\'")]
    [InlineData("N'text'")]
    [InlineData("X'1F'")]
    [InlineData("b'101'")]
    public void Strings_take_backslash_and_doubled_quote_escapes(string text)
    {
        Assert.Equal((TokenKind.String, TokenFlags.None), Lexed.Single(text, My));
    }

    [Fact]
    public void Backslash_escaped_quote_does_not_end_a_string()
    {
        Assert.Equal(
            [(TokenKind.Word, "SELECT"), (TokenKind.String, @"'a\'; b'"), (TokenKind.Semicolon, ";")],
            Lexed.Significant(@"SELECT 'a\'; b';", My));
    }

    [Fact]
    public void Backtick_identifier_with_doubled_backtick_is_one_token()
    {
        Assert.Equal((TokenKind.QuotedIdentifier, TokenFlags.None), Lexed.Single("`a``; b`", My));
    }

    [Theory]
    [InlineData("0x1F")]
    [InlineData("0b101")]
    [InlineData("42")]
    [InlineData("1.5e10")]
    [InlineData(".5")]
    public void Numbers_are_one_token(string text)
    {
        Assert.Equal((TokenKind.Number, TokenFlags.None), Lexed.Single(text, My));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("0xZZ")]
    [InlineData("$price")]
    [InlineData("a$b")]
    public void Names_may_start_with_digits_or_dollar(string text)
    {
        Assert.Equal((TokenKind.Word, TokenFlags.None), Lexed.Single(text, My));
    }

    [Theory]
    [InlineData("@total")]
    [InlineData("@@global.max_connections")]
    [InlineData("@@sql_mode")]
    [InlineData("@`odd name`")]
    [InlineData("?")]
    public void Variables_and_placeholders_are_parameters(string text)
    {
        Assert.Equal((TokenKind.Parameter, TokenFlags.None), Lexed.Single(text, My));
    }

    [Fact]
    public void At_sign_between_user_and_host_is_an_operator()
    {
        Assert.Equal(
            [(TokenKind.String, "'app'"), (TokenKind.Operator, "@"), (TokenKind.String, "'%'")],
            Lexed.Significant("'app'@'%'", My));
    }

    [Theory]
    [InlineData("<=>")]
    [InlineData(":=")]
    [InlineData("->>")]
    [InlineData("&&")]
    [InlineData("!=")]
    public void Operators_lex_as_one_token(string text)
    {
        Assert.Equal((TokenKind.Operator, TokenFlags.None), Lexed.Single(text, My));
    }

    [Fact]
    public void Delimiter_line_is_one_token_and_sets_a_custom_terminator()
    {
        const string text = "DELIMITER $$\nCREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW BEGIN SET NEW.a = 1; END$$\nDELIMITER ;\nSELECT 1;";
        var tokens = Lexed.Significant(text, My);
        Assert.Equal((TokenKind.Delimiter, "DELIMITER $$"), tokens[0]);
        Assert.Contains((TokenKind.Semicolon, ";"), tokens);
        Assert.Equal(
            [(TokenKind.Word, "END"), (TokenKind.CustomTerminator, "$$"), (TokenKind.Delimiter, "DELIMITER ;")],
            tokens.SkipWhile(t => t.Text != "END").Take(3));
        Assert.Equal((TokenKind.Semicolon, ";"), tokens[^1]);
    }

    [Fact]
    public void Custom_terminator_inside_strings_and_comments_is_not_a_terminator()
    {
        const string text = "delimiter //\nSELECT '//' /* // */ -- //\n//";
        var kinds = Lexed.Significant(text, My).Select(t => t.Kind).ToArray();
        Assert.Equal(
            [TokenKind.Delimiter, TokenKind.Word, TokenKind.String, TokenKind.BlockComment, TokenKind.LineComment, TokenKind.CustomTerminator],
            kinds);
    }

    [Fact]
    public void Custom_terminator_glued_to_an_operator_run_splits_it()
    {
        Assert.Equal(
            [(TokenKind.Delimiter, "DELIMITER //"), (TokenKind.Word, "a"), (TokenKind.Operator, "*"), (TokenKind.CustomTerminator, "//")],
            Lexed.Significant("DELIMITER //\na*//", My));
    }

    [Fact]
    public void Delimiter_keyword_must_start_its_line()
    {
        Assert.DoesNotContain(Lexed.Tokens("SELECT 1; DELIMITER $$", My), t => t.Kind == TokenKind.Delimiter);
    }

    [Fact]
    public void Delimiter_after_leading_spaces_at_a_statement_start_is_a_directive()
    {
        Assert.Equal((TokenKind.Delimiter, "delimiter\t//"), Lexed.Significant("SELECT 1;\n   delimiter\t//\n", My)[3]);
    }

    [Fact]
    public void Delimiter_inside_parentheses_is_a_column_name()
    {
        Assert.DoesNotContain(
            Lexed.Tokens("CREATE TABLE t (\n  delimiter VARCHAR(5)\n);", My),
            t => t.Kind == TokenKind.Delimiter);
    }

    [Fact]
    public void Delimiter_argument_may_be_quoted()
    {
        var tokens = Lexed.Significant("DELIMITER '$$'\nSELECT 1$$", My);
        Assert.Equal((TokenKind.CustomTerminator, "$$"), tokens[^1]);
    }

    [Fact]
    public void Unclosed_string_is_unterminated()
    {
        Assert.Equal((TokenKind.String, TokenFlags.Unterminated), Lexed.Single(@"'abc\'", My));
    }
}
