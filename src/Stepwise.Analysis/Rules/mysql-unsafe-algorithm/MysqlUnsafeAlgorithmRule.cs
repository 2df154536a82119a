using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class MysqlUnsafeAlgorithmRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "mysql-unsafe-algorithm",
        "A MySQL ALTER that cannot run INPLACE/INSTANT without blocking writes",
        Severity.Error,
        RuleCategory.Locking,
        "State ALGORITHM=INPLACE|INSTANT, LOCK=NONE as assertions (MySQL refuses instead of copying), or use gh-ost / pt-online-schema-change on large tables.", SqlDialect.MySql);

    public override RuleDescriptor Descriptor => Info;
}
