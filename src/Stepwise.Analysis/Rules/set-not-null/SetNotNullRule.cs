using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class SetNotNullRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "set-not-null",
        "SET NOT NULL without a validated CHECK constraint",
        Severity.Error,
        RuleCategory.Locking,
        "Make the file's first line `-- stepwise:expand-contract`: `up` adds CHECK (col IS NOT NULL) NOT VALID, `stepwise complete` validates it, sets NOT NULL and drops the CHECK. By hand: add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later migration, then SET NOT NULL (no scan on PostgreSQL 12+) and drop the CHECK.",
        SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        var table = context.Schema.Table(alter.Table);
        foreach (var set in alter.Actions.OfType<SetNotNullAction>())
        {
            // PostgreSQL 12+ skips the scan when a valid CHECK (col IS NOT NULL) already proves it
            var proven = context.PgVersion >= 12 && table is not null &&
                table.Constraints.Any(c => c.Validated && c.ProvesNotNull(set.Column));
            if (proven || table?.Column(set.Column) is { NotNull: true })
            {
                continue;
            }

            context.Report(set.Span, $"SET NOT NULL on {alter.Table}.{set.Column} scans the whole table under an ACCESS EXCLUSIVE lock (no validated CHECK ({set.Column} IS NOT NULL) is known from earlier migrations).");
        }
    }
}
