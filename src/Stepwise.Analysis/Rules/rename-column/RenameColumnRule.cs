using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class RenameColumnRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "rename-column",
        "Renaming a column in place",
        Severity.Error,
        RuleCategory.Destructive,
        "Expand/contract: add the new column, dual-write, backfill, switch reads, then drop the old column in a later release.");

    public override RuleDescriptor Descriptor => Info;
}
