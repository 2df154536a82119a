using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class AddingUniqueConstraintRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "adding-unique-constraint",
        "Adding a UNIQUE or PRIMARY KEY constraint that builds its index under ACCESS EXCLUSIVE",
        Severity.Error,
        RuleCategory.Locking,
        "CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... UNIQUE (or PRIMARY KEY) USING INDEX.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;
}
