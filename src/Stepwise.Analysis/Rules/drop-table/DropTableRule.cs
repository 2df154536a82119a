using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class DropTableRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "drop-table",
        "Dropping an existing table",
        Severity.Warning,
        RuleCategory.Destructive,
        "Remove every use of the table from the application first; drop it in a later migration once no running release uses it.");

    public override RuleDescriptor Descriptor => Info;
}
