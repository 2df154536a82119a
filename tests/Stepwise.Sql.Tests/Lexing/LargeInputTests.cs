using System.Text;
using Stepwise.Sql.Lexing;

namespace Stepwise.Sql.Tests.Lexing;

/// <summary>A ~50 MB source must lex and split with all properties intact (speed is measured in bench/).</summary>
public class LargeInputTests
{
    private const int TargetLength = 50_000_000;

    [Theory]
    [InlineData(SqlDialect.PostgreSql)]
    [InlineData(SqlDialect.MySql)]
    [InlineData(SqlDialect.Sqlite)]
    public void Fifty_megabytes_of_migrations_lex_and_split_with_every_property(SqlDialect dialect)
    {
        var text = Generate(dialect);
        var result = StatementSplitter.Split(text, dialect);

        var failure = SplitInvariants.Check(text, result);
        Assert.True(failure is null, failure);
        Assert.True(result.Statements.Count > 100_000, $"only {result.Statements.Count} statements");
    }

    private static string Generate(SqlDialect dialect)
    {
        var corpus = SeedCorpus.For(dialect);
        var builder = new StringBuilder(TargetLength + 10_000);
        for (var i = 0; builder.Length < TargetLength; i++)
        {
            builder.Append(corpus[i % corpus.Length]).Append('\n');
        }

        return builder.ToString();
    }
}
