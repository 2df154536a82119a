using Stepwise.Analysis.Reporting;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class DropColumnRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "drop-column",
        "Dropping a column",
        Severity.Warning,
        RuleCategory.Destructive,
        "Make the file's first line `-- stepwise:expand-contract`: `up` keeps the column (the new release may omit it), `stepwise complete` drops it once no release uses it. By hand: stop reading and writing the column in the application first; drop it in a later migration once no running release uses it.");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        foreach (var drop in alter.Actions.OfType<DropColumnAction>())
        {
            context.Report(drop.Span, $"Dropping column {alter.Table}.{drop.Column}: the running release may still read or write it, and its data is gone.");
        }
    }
}
