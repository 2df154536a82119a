using System.Text;
using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>Large sources must lex and split with all properties intact (speed is measured in bench/, not here).</summary>
public class LargeInputTests
{
    [Fact]
    public void Fifty_megabytes_of_migrations_lex_and_split_with_every_property()
    {
        AssertProperties(SqlDialect.PostgreSql, 50_000_000, minimumStatements: 400_000);
    }

    [Theory]
    [InlineData(SqlDialect.MySql)]
    [InlineData(SqlDialect.Sqlite)]
    public void Ten_megabytes_of_migrations_lex_and_split_with_every_property(SqlDialect dialect)
    {
        AssertProperties(dialect, 10_000_000, minimumStatements: 80_000);
    }

    private static void AssertProperties(SqlDialect dialect, int length, int minimumStatements)
    {
        var text = Generate(dialect, length);
        var result = StatementSplitter.Split(text, dialect);

        var failure = SplitInvariants.Check(text, result);
        Assert.True(failure is null, failure);
        Assert.True(result.Statements.Count >= minimumStatements, $"only {result.Statements.Count} statements");
    }

    private static string Generate(SqlDialect dialect, int length)
    {
        var corpus = SeedCorpus.For(dialect);
        var builder = new StringBuilder(length + 10_000);
        for (var i = 0; builder.Length < length; i++)
        {
            builder.Append(corpus[i % corpus.Length]).Append('\n');
        }

        return builder.ToString();
    }
}
