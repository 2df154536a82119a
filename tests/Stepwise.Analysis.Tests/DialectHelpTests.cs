using Stepwise.Sql;

namespace Stepwise.Analysis.Tests;

/// <summary>Where the safe path differs by database, the finding's help gives that database's way.</summary>
public sealed class DialectHelpTests
{
    private static string HelpFor(SqlDialect dialect)
    {
        var inputs = new List<LintInput>
        {
            new(new SourceText("CREATE TABLE users (id bigint PRIMARY KEY);\n", "0001.up.sql")),
            new(new SourceText("ALTER TABLE users ADD COLUMN role varchar(20) NOT NULL;\n", "0002.up.sql")),
        };
        var report = Linter.Lint(inputs, new LintOptions { Dialect = dialect });
        return Assert.Single(report.Findings, f => f.Rule == "adding-required-column").Help;
    }

    [Fact]
    public void Adding_a_required_column_is_advised_per_dialect()
    {
        Assert.Contains("VALIDATE", HelpFor(SqlDialect.PostgreSql), StringComparison.Ordinal);
        var mysql = HelpFor(SqlDialect.MySql);
        Assert.Contains("MODIFY role", mysql, StringComparison.Ordinal);
        Assert.Contains("ALGORITHM=INPLACE, LOCK=NONE", mysql, StringComparison.Ordinal);
        Assert.DoesNotContain("VALIDATE", mysql, StringComparison.Ordinal);
        Assert.Contains("DEFAULT", HelpFor(SqlDialect.Sqlite), StringComparison.Ordinal);
        Assert.DoesNotContain("VALIDATE", HelpFor(SqlDialect.Sqlite), StringComparison.Ordinal);
    }
}
