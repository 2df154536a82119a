using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ForeignKeyWithoutIndexRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "foreign-key-without-index",
        "A foreign key whose columns no index covers",
        Severity.Warning,
        RuleCategory.Locking,
        "Create an index on the referencing columns (CONCURRENTLY on PostgreSQL) so deletes and updates on the parent don't scan the child.");

    public override RuleDescriptor Descriptor => Info;
}
