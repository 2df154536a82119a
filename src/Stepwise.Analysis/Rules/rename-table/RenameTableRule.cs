using Stepwise.Analysis.Facts;
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
        "Make the file's first line `-- stepwise:expand-contract`: `up` renames it and keeps the old name as an updatable view, `stepwise complete` drops the view. By hand: create the new table (or a view with the old name), dual-write, backfill, switch, then drop the old one.");

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        switch (statement)
        {
            case AlterTableStatement alter when context.IsExistingTable(alter.Table):
                foreach (var rename in alter.Actions.OfType<RenameTableAction>())
                {
                    Judge(context, statement, alter.Table, rename.NewName, rename.Span);
                }

                break;
            case RenameTableStatement renames:
                for (var i = 0; i < renames.Renames.Count; i++)
                {
                    var (from, to) = renames.Renames[i];
                    // RENAME TABLE a TO a_old, a_new TO a swaps atomically: the old name never disappears,
                    // and a name that an earlier pair of the same statement produced is only a stepping stone.
                    var swapped = renames.Renames.Skip(i + 1).Any(r => r.To.Key == from.Key);
                    var transient = renames.Renames.Take(i).Any(r => r.To.Key == from.Key);
                    var completesSwap = renames.Renames.Take(i).Any(r => r.From.Key == to.Key);
                    if (swapped || transient || completesSwap || !context.IsExistingTable(from))
                    {
                        continue;
                    }

                    Judge(context, statement, from, to, TextSpan.FromBounds(from.Span.Start, to.Span.End));
                }

                break;
        }
    }

    private static void Judge(RuleContext context, Statement statement, ObjectName from, ObjectName to, TextSpan span)
    {
        if (RenamedAwayEarlier(context, to))
        {
            // the second half of a swap: the target name was moved aside earlier in this file, and this
            // rename gives it back (judged on the first half)
            return;
        }

        var replacement = Replacement(context, statement, from, to);
        var transactional = context.Dialect != SqlDialect.MySql && !context.NoTransaction;
        var message = $"Renaming table {from} to {to}: the release running during the deploy still queries {from}, and those queries fail until every instance runs the new code.";
        switch (replacement)
        {
            case Replaced.ByTable or Replaced.ByView when transactional && !(replacement == Replaced.ByView && context.Dialect == SqlDialect.Sqlite):
                // the old name is back in the same transaction: no query ever sees it missing
                return;
            case Replaced.ByView when context.Dialect == SqlDialect.Sqlite:
                message += $" The view named {from} later in this file only serves reads: SQLite views cannot be written to.";
                break;
            case Replaced.ByTable or Replaced.ByView:
                message += context.Dialect == SqlDialect.MySql
                    ? $" {from} comes back only in a later statement, and each MySQL DDL commits on its own: queries in between fail. Swap in one statement: RENAME TABLE {from} TO {to}, new_table TO {from}."
                    : $" {from} comes back only in a later statement, and this migration runs without a transaction: queries in between fail.";
                break;
        }

        context.Report(span, message);
    }

    private enum Replaced
    {
        No,
        ByTable,
        ByView,
    }

    /// <summary>Whether a later statement of this file gives the old name back: another table renamed to it
    /// (a swap), a table created with it and filled from the renamed one (a rebuild), or a view with it.</summary>
    private static Replaced Replacement(RuleContext context, Statement statement, ObjectName from, ObjectName renamedTo)
    {
        var statements = context.Script.Statements;
        var index = IndexOf(statements, statement);
        if (index < 0)
        {
            return Replaced.No;
        }

        var created = false;
        for (var i = index + 1; i < statements.Count; i++)
        {
            switch (statements[i])
            {
                case AlterTableStatement alter when alter.Actions.OfType<RenameTableAction>().Any(r => r.NewName.Key == from.Key):
                    return Replaced.ByTable;
                case RenameTableStatement renames when renames.Renames.Any(r => r.To.Key == from.Key):
                    return Replaced.ByTable;
                case CreateTableStatement create when create.Table.Key == from.Key && !create.Temporary:
                    created = true;
                    break;
                case InsertStatement { FromSelect: true } insert when created && insert.Table.Key == from.Key &&
                    DataChanges.ReadsFrom(context.Source, context.Script.Tokens, insert.FirstToken, insert.EndToken, renamedTo, context.Dialect):
                    return Replaced.ByTable;
                case OpaqueStatement opaque when CreatesView(context, opaque) == from.Key:
                    return Replaced.ByView;
                case CreateViewStatement view when view.Name.Key == from.Key:
                    return Replaced.ByView;
            }
        }

        return Replaced.No;
    }

    private static bool RenamedAwayEarlier(RuleContext context, ObjectName name) => context.Statements.Any(s => s switch
    {
        AlterTableStatement alter => alter.Table.Key == name.Key && alter.Actions.OfType<RenameTableAction>().Any(),
        RenameTableStatement renames => renames.Renames.Any(r => r.From.Key == name.Key),
        _ => false,
    });

    private static int IndexOf(IReadOnlyList<Statement> statements, Statement statement)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            if (ReferenceEquals(statements[i], statement))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The key of the view a `CREATE [OR REPLACE] [options] VIEW name` statement creates, or null.</summary>
    private static string? CreatesView(RuleContext context, OpaqueStatement statement)
    {
        if (!statement.Keywords.StartsWith("CREATE", StringComparison.Ordinal))
        {
            return null;
        }

        var tokens = context.Script.Tokens;
        var limit = Math.Min(statement.EndToken, statement.FirstToken + 40);
        for (var i = statement.FirstToken; i < limit; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.OpenParen || (t.Kind == TokenKind.Word && context.Source.Slice(t.Span).Equals("AS", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            if (t.Kind == TokenKind.Word && context.Source.Slice(t.Span).Equals("VIEW", StringComparison.OrdinalIgnoreCase))
            {
                var next = i + 1;
                // CREATE VIEW IF NOT EXISTS (SQLite, MariaDB)
                while (next < statement.EndToken && (tokens[next].IsTrivia || IsAnyWord(context, tokens[next], "IF", "NOT", "EXISTS")))
                {
                    next++;
                }

                return DataChanges.TableKeyAt(context.Source, tokens, next, statement.EndToken, context.Dialect, out _);
            }
        }

        return null;
    }

    private static bool IsAnyWord(RuleContext context, Token token, params string[] words) =>
        token.Kind == TokenKind.Word && words.Any(w => context.Source.Slice(token.Span).Equals(w, StringComparison.OrdinalIgnoreCase));
}
