using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class AddingRequiredColumnRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "adding-required-column",
        "Adding a NOT NULL column without a default to an existing table",
        Severity.Error,
        RuleCategory.Locking,
        "Make the file's first line `-- stepwise:expand-contract`: `up` adds it nullable, fills existing rows and the old release's inserts with its DEFAULT (or `-- stepwise:fill COLUMN = EXPR`), `stepwise complete` enforces NOT NULL. By hand: add the column as nullable, backfill it in batches (`stepwise backfill`), then enforce NOT NULL (CHECK ... NOT VALID, VALIDATE, SET NOT NULL).");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        foreach (var add in alter.Actions.OfType<AddColumnAction>())
        {
            var column = add.Column;
            // identity/serial/auto-increment and generated columns fill themselves
            if (!column.NotNull || !Volatility.IsNullDefault(column.Default) || column.Identity != IdentityKind.None || column.GeneratedStored is not null || column.GeneratedVirtual)
            {
                continue;
            }

            var server = context.Options.MySql.MariaDb ? "MariaDB" : "MySQL";
            var consequence = context.Dialect == SqlDialect.MySql
                ? $"{server} fills the existing rows with the type's implicit default ('' or 0), a value no one wrote, and in strict mode every INSERT of the running release that leaves {column.Name} out then fails (no default value)"
                : "it fails on a table that has rows";
            var help = context.Dialect switch
            {
                SqlDialect.MySql => $"Make the file's first line `-- stepwise:expand-contract` and add `-- stepwise:fill {column.Name} = <value>`: `up` adds it nullable and fills it, `stepwise complete` makes it NOT NULL online. By hand: add the column as nullable, backfill it in batches (a `-- stepwise:backfill` migration), then MODIFY {column.Name} … NOT NULL with ALGORITHM=INPLACE, LOCK=NONE (an online rebuild); or give it a DEFAULT.",
                SqlDialect.Sqlite => "Give the column a DEFAULT: SQLite cannot make a column NOT NULL later without rebuilding the table (create the new table, copy in batches, swap names).",
                _ => null,
            };
            context.Report(add.Span, $"Adding NOT NULL column {column.Name} without a default to existing table {alter.Table}: {consequence}.", help: help);
        }
    }
}
