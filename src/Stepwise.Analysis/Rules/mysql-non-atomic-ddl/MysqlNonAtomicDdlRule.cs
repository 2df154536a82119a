using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class MysqlNonAtomicDdlRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "mysql-non-atomic-ddl",
        "A MySQL/MariaDB migration with several DDL statements",
        Severity.Warning,
        RuleCategory.Correctness,
        "One DDL statement per migration: MySQL commits each DDL implicitly, so a failure leaves the migration half-applied.", SqlDialect.MySql);

    public override RuleDescriptor Descriptor => Info;
}
