using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

public class PostgreSqlLexerTests
{
    private const SqlDialect Pg = SqlDialect.PostgreSql;

    [Fact]
    public void Simple_statement_lexes_into_words_operators_and_punctuation()
    {
        Assert.Equal(
            [
                (TokenKind.Word, "SELECT"), (TokenKind.Word, "a"), (TokenKind.Comma, ","), (TokenKind.Word, "b"),
                (TokenKind.Word, "FROM"), (TokenKind.Word, "t"), (TokenKind.Word, "WHERE"), (TokenKind.Word, "x"),
                (TokenKind.Operator, ">="), (TokenKind.Number, "10"), (TokenKind.Semicolon, ";"),
            ],
            Lexed.Significant("SELECT a, b FROM t WHERE x >= 10;", Pg));
    }

    [Fact]
    public void Empty_input_has_no_tokens()
    {
        Assert.Empty(SqlLexer.Tokenize("", Pg));
    }

    [Fact]
    public void Whitespace_run_including_vertical_tab_and_form_feed_is_one_token()
    {
        Assert.Equal((TokenKind.Whitespace, TokenFlags.None), Lexed.Single(" \t\r\n\f\v ", Pg));
    }

    [Fact]
    public void Line_comment_runs_to_the_end_of_the_line_without_the_newline()
    {
        Assert.Equal(
            [(TokenKind.LineComment, "-- note ; 'x"), (TokenKind.Word, "SELECT")],
            Lexed.Significant("-- note ; 'x\nSELECT", Pg));
    }

    [Fact]
    public void Block_comments_nest()
    {
        Assert.Equal(
            [(TokenKind.BlockComment, "/* a /* b */ still ; comment */"), (TokenKind.Word, "x")],
            Lexed.Significant("/* a /* b */ still ; comment */ x", Pg));
    }

    [Fact]
    public void Unclosed_nested_comment_is_unterminated()
    {
        Assert.Equal((TokenKind.BlockComment, TokenFlags.Unterminated), Lexed.Single("/* a /* b */ c", Pg));
    }

    [Fact]
    public void Doubled_quote_escapes_a_quote_in_a_string()
    {
        Assert.Equal((TokenKind.String, TokenFlags.None), Lexed.Single("'it''s; fine'", Pg));
    }

    [Fact]
    public void Backslash_does_not_escape_in_a_standard_string()
    {
        Assert.Equal(
            [(TokenKind.String, @"'C:\'"), (TokenKind.Semicolon, ";")],
            Lexed.Significant(@"'C:\';", Pg));
    }

    [Theory]
    [InlineData(@"E'\''")]
    [InlineData(@"e'it\'s'")]
    [InlineData(@"E'a\\'")]
    [InlineData(@"E'x''y\'z'")]
    public void Backslash_escapes_in_an_E_string(string text)
    {
        Assert.Equal((TokenKind.String, TokenFlags.None), Lexed.Single(text, Pg));
    }

    [Fact]
    public void E_string_with_escaped_quote_does_not_end_early()
    {
        Assert.Equal(
            [(TokenKind.Word, "SELECT"), (TokenKind.String, @"E'\'; DROP'"), (TokenKind.Semicolon, ";")],
            Lexed.Significant(@"SELECT E'\'; DROP';", Pg));
    }

    [Fact]
    public void Quote_continuation_of_an_E_string_keeps_backslash_escapes()
    {
        // 'b\';' continues E'a' across a newline, so \' is an escaped quote and the string ends after ;'.
        Assert.Equal(
            [(TokenKind.String, "E'a'"), (TokenKind.String, @"'b\';'"), (TokenKind.Semicolon, ";")],
            Lexed.Significant("E'a'\n'b\\';';", Pg));
    }

    [Fact]
    public void Quotes_on_one_line_do_not_continue_an_E_string()
    {
        Assert.Equal(
            [(TokenKind.String, "E'a'"), (TokenKind.String, @"'b\'"), (TokenKind.Semicolon, ";")],
            Lexed.Significant("E'a' 'b\\';", Pg));
    }

    [Theory]
    [InlineData("B'0101'")]
    [InlineData("X'1F'")]
    [InlineData("N'text'")]
    [InlineData("U&'d\\0061t\\+000061'")]
    [InlineData("u&'x'")]
    public void Prefixed_strings_are_one_string_token(string text)
    {
        Assert.Equal((TokenKind.String, TokenFlags.None), Lexed.Single(text, Pg));
    }

    [Fact]
    public void Unicode_quoted_identifier_is_one_token()
    {
        Assert.Equal((TokenKind.QuotedIdentifier, TokenFlags.None), Lexed.Single("U&\"d\\0061t\"", Pg));
    }

    [Fact]
    public void Prefix_letter_inside_a_longer_word_is_not_a_prefix()
    {
        Assert.Equal(
            [(TokenKind.Word, "date"), (TokenKind.String, "'2020-01-01'")],
            Lexed.Significant("date'2020-01-01'", Pg));
    }

    [Fact]
    public void Quoted_identifier_with_doubled_quote_is_one_token()
    {
        Assert.Equal((TokenKind.QuotedIdentifier, TokenFlags.None), Lexed.Single("\"a \"\" ; b\"", Pg));
    }

    [Fact]
    public void Dollar_quoted_body_is_one_token()
    {
        Assert.Equal(
            [(TokenKind.Word, "DO"), (TokenKind.DollarString, "$$ BEGIN; 'x; END $$"), (TokenKind.Semicolon, ";")],
            Lexed.Significant("DO $$ BEGIN; 'x; END $$;", Pg));
    }

    [Fact]
    public void Tagged_dollar_quote_ends_only_at_its_own_tag()
    {
        Assert.Equal(
            (TokenKind.DollarString, TokenFlags.None),
            Lexed.Single("$fn$ SELECT $$x$$; $other$ $fn$", Pg));
    }

    [Fact]
    public void Dollar_quote_ends_at_a_tag_that_follows_a_failed_tag()
    {
        Assert.Equal((TokenKind.DollarString, TokenFlags.None), Lexed.Single("$a$ x $b$a$", Pg));
    }

    [Fact]
    public void Unclosed_dollar_quote_is_unterminated()
    {
        Assert.Equal((TokenKind.DollarString, TokenFlags.Unterminated), Lexed.Single("$body$ select 1; $bod$", Pg));
    }

    [Fact]
    public void Dollar_digit_is_a_parameter()
    {
        Assert.Equal(
            [(TokenKind.Word, "WHERE"), (TokenKind.Word, "id"), (TokenKind.Operator, "="), (TokenKind.Parameter, "$1")],
            Lexed.Significant("WHERE id = $1", Pg));
    }

    [Fact]
    public void Dollar_inside_an_identifier_is_part_of_it()
    {
        Assert.Equal(
            [(TokenKind.Word, "a$b"), (TokenKind.Word, "x$$y"), (TokenKind.Semicolon, ";")],
            Lexed.Significant("a$b x$$y;", Pg));
    }

    [Fact]
    public void Dollar_tag_cannot_start_with_a_digit()
    {
        Assert.Equal(
            [(TokenKind.Parameter, "$1"), (TokenKind.Unknown, "$")],
            Lexed.Significant("$1$", Pg));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("1.5")]
    [InlineData(".5")]
    [InlineData("1.")]
    [InlineData("1e-10")]
    [InlineData("2.5E+3")]
    [InlineData("0x1F")]
    [InlineData("0o17")]
    [InlineData("0b101")]
    [InlineData("1_000")]
    [InlineData("0x_FF_FF")]
    public void Numbers_are_one_token(string text)
    {
        Assert.Equal((TokenKind.Number, TokenFlags.None), Lexed.Single(text, Pg));
    }

    [Fact]
    public void Range_dots_after_an_integer_are_not_a_decimal_point()
    {
        Assert.Equal(
            [(TokenKind.Number, "1"), (TokenKind.Operator, ".."), (TokenKind.Number, "5")],
            Lexed.Significant("1..5", Pg));
    }

    [Theory]
    [InlineData("::")]
    [InlineData("->>")]
    [InlineData("@>")]
    [InlineData("<=")]
    [InlineData("!=")]
    [InlineData("||")]
    [InlineData(":=")]
    [InlineData("#>>")]
    [InlineData("?|")]
    public void Operators_lex_as_one_token(string text)
    {
        Assert.Equal((TokenKind.Operator, TokenFlags.None), Lexed.Single(text, Pg));
    }

    [Fact]
    public void Type_cast_is_an_operator_between_words()
    {
        Assert.Equal(
            [(TokenKind.String, "'1'"), (TokenKind.Operator, "::"), (TokenKind.Word, "int")],
            Lexed.Significant("'1'::int", Pg));
    }

    [Fact]
    public void Dash_dash_inside_an_operator_run_starts_a_comment()
    {
        Assert.Equal(
            [(TokenKind.Word, "a"), (TokenKind.Operator, "+"), (TokenKind.LineComment, "--b;")],
            Lexed.Significant("a +--b;", Pg));
    }

    [Fact]
    public void Slash_star_inside_an_operator_run_starts_a_comment()
    {
        Assert.Equal(
            [(TokenKind.Operator, "*"), (TokenKind.BlockComment, "/* x */"), (TokenKind.Word, "y")],
            Lexed.Significant("*/* x */y", Pg));
    }

    [Fact]
    public void Trailing_minus_is_split_from_an_sql_operator_run()
    {
        Assert.Equal(
            [(TokenKind.Word, "a"), (TokenKind.Operator, "="), (TokenKind.Operator, "-"), (TokenKind.Number, "1")],
            Lexed.Significant("a=-1", Pg));
    }

    [Fact]
    public void Punctuation_has_its_own_kinds()
    {
        Assert.Equal(
            [
                TokenKind.OpenParen, TokenKind.CloseParen, TokenKind.OpenBracket, TokenKind.CloseBracket,
                TokenKind.Comma, TokenKind.Dot, TokenKind.Semicolon, TokenKind.Colon,
            ],
            Lexed.Significant("()[],.;:", Pg).Select(t => t.Kind));
    }

    [Fact]
    public void Non_ascii_letters_are_identifier_characters()
    {
        Assert.Equal((TokenKind.Word, TokenFlags.None), Lexed.Single("größe_数据", Pg));
    }

    [Fact]
    public void Psql_meta_command_runs_to_the_end_of_the_line()
    {
        Assert.Equal(
            [(TokenKind.MetaCommand, @"\set ON_ERROR_STOP on"), (TokenKind.Word, "SELECT")],
            Lexed.Significant("\\set ON_ERROR_STOP on\r\nSELECT", Pg));
    }

    [Fact]
    public void Backslash_inside_a_string_is_not_a_meta_command()
    {
        Assert.DoesNotContain(Lexed.Tokens(@"SELECT '\n';", Pg), t => t.Kind == TokenKind.MetaCommand);
    }

    [Theory]
    [InlineData("'abc", TokenKind.String)]
    [InlineData("E'abc\\'", TokenKind.String)]
    [InlineData("\"abc", TokenKind.QuotedIdentifier)]
    [InlineData("$$abc", TokenKind.DollarString)]
    [InlineData("/* abc", TokenKind.BlockComment)]
    public void Unterminated_constructs_are_flagged_and_run_to_the_end(string text, TokenKind kind)
    {
        Assert.Equal((kind, TokenFlags.Unterminated), Lexed.Single(text, Pg));
    }

    [Fact]
    public void Unexpected_characters_become_unknown_tokens()
    {
        Assert.Equal(
            [(TokenKind.Unknown, "{"), (TokenKind.Unknown, "\0"), (TokenKind.Unknown, "}")],
            Lexed.Significant("{\0}", Pg));
    }

    [Fact]
    public void Parameter_is_only_the_dollar_and_digits()
    {
        Assert.Equal([(TokenKind.Parameter, "$1"), (TokenKind.Word, "a")], Lexed.Significant("$1a", Pg));
    }

    [Fact]
    public void Copy_from_stdin_data_up_to_backslash_dot_is_one_meta_command_token()
    {
        const string text = "COPY t (a, b) FROM stdin;\n1\tO'Brien\n2\t;x\n\\.\nSELECT 1;";
        Assert.Equal(
            [
                (TokenKind.Word, "COPY"), (TokenKind.Word, "t"), (TokenKind.OpenParen, "("), (TokenKind.Word, "a"),
                (TokenKind.Comma, ","), (TokenKind.Word, "b"), (TokenKind.CloseParen, ")"), (TokenKind.Word, "FROM"),
                (TokenKind.Word, "stdin"), (TokenKind.Semicolon, ";"), (TokenKind.MetaCommand, "1\tO'Brien\n2\t;x\n\\."),
                (TokenKind.Word, "SELECT"), (TokenKind.Number, "1"), (TokenKind.Semicolon, ";"),
            ],
            Lexed.Significant(text, Pg));
    }

    [Fact]
    public void Copy_to_stdout_is_followed_by_sql()
    {
        Assert.DoesNotContain(
            Lexed.Tokens("COPY t TO stdout;\nSELECT 1;", Pg),
            t => t.Kind == TokenKind.MetaCommand);
    }
}
