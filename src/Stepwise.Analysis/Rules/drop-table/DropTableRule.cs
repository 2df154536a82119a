using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class DropTableRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "drop-table",
        "Dropping an existing table",
        Severity.Warning,
        RuleCategory.Destructive,
        "Make the file's first line `-- stepwise:expand-contract`: `up` keeps the table, `stepwise complete` drops it once no release uses it. By hand: remove every use of the table from the application first; drop it in a later migration once no running release uses it.");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not DropTableStatement { Temporary: false } drop)
        {
            return;
        }

        foreach (var table in drop.Tables)
        {
            if (!DataChanges.IsLiveTable(context, table) || IsTableRebuild(context, statement, table))
            {
                continue;
            }

            context.Report(drop.Tables.Count == 1 ? statement.Span : table.Span,
                $"Dropping table {table}: the release running during the deploy may still read or write it, and its rows are gone for good.");
        }
    }

    /// <summary>The table-rebuild pattern (SQLite ALTER emulation by Prisma, Drizzle, Django; also a
    /// PostgreSQL swap): the rows were copied out with INSERT … SELECT before the drop, and the table's
    /// original name exists again by the end of the file.</summary>
    private static bool IsTableRebuild(RuleContext context, Statement drop, ObjectName table)
    {
        var statements = context.Script.Statements;
        var index = -1;
        for (var i = 0; i < statements.Count; i++)
        {
            if (ReferenceEquals(statements[i], drop))
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            return false;
        }

        // follow renames back to the name the application knows the table by
        var original = table.Key;
        for (var i = index - 1; i >= 0; i--)
        {
            foreach (var (from, to) in Renames(statements[i]))
            {
                if (to == original)
                {
                    original = from;
                }
            }
        }

        var copied = false;
        for (var i = 0; i < index && !copied; i++)
        {
            copied = statements[i] is InsertStatement { FromSelect: true } insert && insert.Table.Key != table.Key &&
                DataChanges.ReadsFrom(context.Source, context.Script.Tokens, insert.FirstToken, insert.EndToken, table, context.Dialect);
        }

        if (!copied)
        {
            return false;
        }

        for (var i = 0; i < statements.Count; i++)
        {
            if (i == index)
            {
                continue;
            }

            if (statements[i] is CreateTableStatement { Temporary: false } create && create.Table.Key == original && (original != table.Key || i > index))
            {
                return true;
            }

            if (Renames(statements[i]).Any(r => r.To == original && (original != table.Key || i > index)))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<(string From, string To)> Renames(Statement statement) => statement switch
    {
        AlterTableStatement alter => alter.Actions.OfType<RenameTableAction>().Select(r => (alter.Table.Key, r.NewName.Key)),
        RenameTableStatement renames => renames.Renames.Select(r => (r.From.Key, r.To.Key)),
        _ => [],
    };
}
