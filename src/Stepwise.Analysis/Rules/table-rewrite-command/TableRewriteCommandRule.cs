using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class TableRewriteCommandRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "table-rewrite-command",
        "VACUUM FULL or CLUSTER rewrites the table under ACCESS EXCLUSIVE",
        Severity.Error,
        RuleCategory.Locking,
        "Use an online tool such as pg_repack, or schedule a maintenance window.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
