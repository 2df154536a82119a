using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class RenameEnumValueRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "rename-enum-value",
        "Renaming a value of an existing enum type",
        Severity.Error,
        RuleCategory.Destructive,
        "Expand/contract: ADD VALUE the new label in a migration of its own, make the application write it, update the rows in batches, and stop using the old label in a later release (PostgreSQL cannot drop an enum value; leave it or swap the type later).",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTypeStatement { RenamedValue: { } renamed } alter || CreatedInThisFile(alter.Name, context))
        {
            return;
        }

        context.Report(alter.ActionSpan.Length > 0 ? alter.ActionSpan : alter.Span,
            $"Renaming value '{renamed.From}' of enum type {alter.Name} to '{renamed.To}': the release running during the deploy still writes and compares '{renamed.From}', and those queries fail (invalid input value for enum) until every instance runs the new code.");
    }

    private static bool CreatedInThisFile(ObjectName type, RuleContext context) =>
        context.Statements.Any(s => s is CreateTypeStatement create && create.Name.Key == type.Key);
}
