using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class EnumValueInTransactionRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "enum-value-in-transaction",
        "ALTER TYPE ... ADD VALUE inside a transaction before PostgreSQL 12",
        Severity.Error,
        RuleCategory.Correctness,
        "Put ALTER TYPE ... ADD VALUE in a migration of its own marked `-- stepwise:no-transaction`.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
