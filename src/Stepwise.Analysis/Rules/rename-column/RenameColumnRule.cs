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
        "Make the file's first line `-- stepwise:expand-contract`: `up` adds the new column kept in sync with the old one and backfills it, `stepwise complete` drops the old one once no release uses it. By hand: add the new column, dual-write, backfill, switch reads, then drop the old column in a later release.");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        foreach (var action in alter.Actions)
        {
            var (from, to, how) = action switch
            {
                RenameColumnAction rename => (rename.Column, rename.NewName, "RENAME COLUMN"),
                AlterColumnTypeAction { NewName: { } newName } change => (change.Column, newName, "CHANGE"),
                _ => (null, null, null),
            };
            if (from is null || to is null || AddedInThisFile(context, alter.Table, from))
            {
                continue;
            }

            var also = how == "CHANGE" ? " (CHANGE renames it)" : string.Empty;
            context.Report(action.Span,
                $"Renaming column {alter.Table}.{from} to {to}{also}: the release running during the deploy still reads and writes {from}, and its queries fail until every instance runs the new code.");
        }
    }

    /// <summary>A column this same file added has no readers yet: renaming it breaks nothing.</summary>
    private static bool AddedInThisFile(RuleContext context, ObjectName table, string column)
    {
        foreach (var earlier in context.Statements)
        {
            if (earlier is AlterTableStatement alter && string.Equals(alter.Table.Key, table.Key, StringComparison.Ordinal) &&
                alter.Actions.Any(a => a is AddColumnAction add && string.Equals(add.Column.Name, column, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
