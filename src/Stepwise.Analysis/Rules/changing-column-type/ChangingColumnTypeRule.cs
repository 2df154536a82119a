using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ChangingColumnTypeRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "changing-column-type",
        "Changing a column type in a way that rewrites the table",
        Severity.Error,
        RuleCategory.Locking,
        "Expand/contract: add a new column of the new type, backfill it in batches, switch the application, then drop the old column.");

    public override RuleDescriptor Descriptor => Info;
}
