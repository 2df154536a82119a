using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ConstraintMissingNotValidRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "constraint-missing-not-valid",
        "Adding a FOREIGN KEY or CHECK constraint that validates under a blocking lock",
        Severity.Error,
        RuleCategory.Locking,
        "Add the constraint with NOT VALID, then VALIDATE CONSTRAINT in a later migration (VALIDATE lets reads and writes continue).",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        foreach (var add in alter.Actions.OfType<AddConstraintAction>())
        {
            var constraint = add.Constraint;
            if (constraint.NotValid || constraint.Kind is not (ConstraintKind.ForeignKey or ConstraintKind.Check))
            {
                continue;
            }

            var what = constraint.Kind == ConstraintKind.ForeignKey
                ? $"FOREIGN KEY on {alter.Table} scans it under SHARE ROW EXCLUSIVE locks on both {alter.Table} and {constraint.References?.Table.ToString() ?? "the referenced table"}, blocking their writes"
                : $"CHECK on {alter.Table} scans the whole table under ACCESS EXCLUSIVE, blocking reads and writes";
            var fix = new Fix("Add NOT VALID (then VALIDATE CONSTRAINT in a later migration)", [new TextEdit(new TextSpan(constraint.Span.End, 0), " NOT VALID")]);
            context.Report(add.Span, $"Adding {what}.", fix);
        }

        // a column added with an inline REFERENCES validates too, but on a new column every value is NULL:
        // the check is instant, so it is not reported.
    }
}
