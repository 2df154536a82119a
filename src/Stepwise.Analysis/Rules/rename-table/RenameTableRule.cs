using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class RenameTableRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "rename-table",
        "Renaming a table in place",
        Severity.Error,
        RuleCategory.Destructive,
        "Expand/contract: create the new table (or a view with the old name), dual-write, backfill, switch, then drop the old one.");

    public override RuleDescriptor Descriptor => Info;
}
