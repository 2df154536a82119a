using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ConcurrentlyInTransactionRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "concurrently-in-transaction",
        "A CONCURRENTLY statement inside an explicit transaction block",
        Severity.Error,
        RuleCategory.Correctness,
        "Remove the BEGIN/COMMIT around it: Stepwise runs migrations with CONCURRENTLY statements outside a transaction.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
