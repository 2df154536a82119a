using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class AddingColumnVolatileDefaultRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "adding-column-volatile-default",
        "Adding a column whose default rewrites the table",
        Severity.Error,
        RuleCategory.Locking,
        "Add the column as nullable without the default, then SET DEFAULT (applies to new rows only) and backfill existing rows in batches.", SqlDialect.PostgreSql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        var table = context.Schema.Table(alter.Table);
        foreach (var add in alter.Actions.OfType<AddColumnAction>())
        {
            // ADD COLUMN IF NOT EXISTS of a column the history already has does nothing
            if (add.IfNotExists && table?.Column(add.Column.Name) is not null)
            {
                continue;
            }

            if (Reason(add.Column, context.PgVersion) is { } reason)
            {
                context.Report(add.Span, $"Adding column {add.Column.Name} to existing table {alter.Table} {reason}: PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock, so reads and writes wait until it finishes.");
            }
        }
    }

    private static string? Reason(ColumnDefinition column, int pgVersion)
    {
        switch (column.Identity)
        {
            case IdentityKind.Always or IdentityKind.ByDefault:
                return "as an identity column (every existing row takes a value from the sequence)";
            case IdentityKind.Serial:
                return $"as {column.Type?.Text ?? "serial"} (its implicit nextval() default fills every existing row)";
        }

        if (column.GeneratedStored is not null)
        {
            return "as a stored generated column (computed and written for every existing row)";
        }

        if (Volatility.IsNullDefault(column.Default))
        {
            return null;
        }

        if (Volatility.VolatileCall(column.Default!) is { } function)
        {
            return $"with the volatile default {function}() (evaluated separately for every existing row)";
        }

        // PostgreSQL 11 stores a non-volatile default in the catalog instead of writing it into each row
        return pgVersion < 11 ? $"with a default on PostgreSQL {pgVersion} (before 11 every default is written into every existing row)" : null;
    }
}
