using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

public class SqliteLexerTests
{
    private const SqlDialect Lite = SqlDialect.Sqlite;

    [Theory]
    [InlineData("\"a\"\"b\"")]
    [InlineData("`a``b`")]
    [InlineData("[a b; c]")]
    public void Three_identifier_quotes_are_supported(string text)
    {
        Assert.Equal((TokenKind.QuotedIdentifier, TokenFlags.None), Lexed.Single(text, Lite));
    }

    [Fact]
    public void Strings_escape_quotes_by_doubling_only()
    {
        Assert.Equal(
            [(TokenKind.String, @"'a\'"), (TokenKind.Semicolon, ";")],
            Lexed.Significant(@"'a\';", Lite));
    }

    [Fact]
    public void Blob_literal_is_a_string()
    {
        Assert.Equal((TokenKind.String, TokenFlags.None), Lexed.Single("x'ABCD'", Lite));
    }

    [Theory]
    [InlineData("?")]
    [InlineData("?12")]
    [InlineData(":name")]
    [InlineData("@name")]
    [InlineData("$name")]
    [InlineData("$a::b(c;d)")]
    public void Parameters_are_one_token(string text)
    {
        Assert.Equal((TokenKind.Parameter, TokenFlags.None), Lexed.Single(text, Lite));
    }

    [Theory]
    [InlineData("0x1F")]
    [InlineData("1e5")]
    [InlineData(".5")]
    [InlineData("1_000")]
    public void Numbers_are_one_token(string text)
    {
        Assert.Equal((TokenKind.Number, TokenFlags.None), Lexed.Single(text, Lite));
    }

    [Fact]
    public void Unterminated_block_comment_runs_to_the_end()
    {
        Assert.Equal(
            [(TokenKind.Word, "SELECT"), (TokenKind.Number, "1"), (TokenKind.BlockComment, "/* trailing ; text")],
            Lexed.Significant("SELECT 1 /* trailing ; text", Lite));
    }

    [Fact]
    public void Lone_bang_is_unknown_but_not_equal_is_an_operator()
    {
        Assert.Equal(
            [(TokenKind.Unknown, "!"), (TokenKind.Word, "a"), (TokenKind.Operator, "!=")],
            Lexed.Significant("! a !=", Lite));
    }

    [Fact]
    public void Json_arrows_are_operators()
    {
        Assert.Equal(
            [(TokenKind.Word, "j"), (TokenKind.Operator, "->>"), (TokenKind.String, "'$.a'")],
            Lexed.Significant("j->>'$.a'", Lite));
    }
}
