using Stepwise.Analysis.Facts;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Tests.Facts;

public sealed class VolatilityTests
{
    private static Expression Parse(string defaultText)
    {
        var script = ParsedScript.Parse(new SourceText($"ALTER TABLE t ADD COLUMN c text DEFAULT {defaultText};"), SqlDialect.PostgreSql);
        var alter = Assert.IsType<AlterTableStatement>(script.Statements[0]);
        var add = Assert.IsType<AddColumnAction>(alter.Actions[0]);
        return add.Column.Default!;
    }

    [Theory]
    [InlineData("gen_random_uuid()", "gen_random_uuid")]
    [InlineData("md5(random()::text)", "random")]
    [InlineData("nextval('t_c_seq'::regclass)", "nextval")]
    [InlineData("now()", null)]
    [InlineData("txid_current()", null)]
    [InlineData("'active'", null)]
    public void Volatile_call_is_found_anywhere_in_the_default(string text, string? expected)
    {
        Assert.Equal(expected, Volatility.VolatileCall(Parse(text)));
    }
}
