using Stepwise.Analysis.Facts;
using Stepwise.Analysis.Reporting;
using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Rules;

internal sealed class ChangingColumnTypeRule : Rule
{
    public static readonly RuleDescriptor Info = new(
        "changing-column-type",
        "Changing a column type in a way that rewrites the table",
        Severity.Error,
        RuleCategory.Locking,
        "Make the file's first line `-- stepwise:expand-contract`: `up` adds a shadow column of the new type kept in sync and backfills it, `stepwise complete` swaps it in. By hand: add a new column of the new type, backfill it in batches, switch the application, then drop the old column.",
        SqlDialect.PostgreSql,
        SqlDialect.MySql);

    public override RuleDescriptor Descriptor => Info;

    public override void Check(Statement statement, RuleContext context)
    {
        if (statement is not AlterTableStatement alter || !context.IsExistingTable(alter.Table))
        {
            return;
        }

        var table = context.Schema.Table(alter.Table);
        foreach (var change in alter.Actions.OfType<AlterColumnTypeAction>())
        {
            var old = table?.Column(change.Column)?.Type;
            var message = context.Dialect == SqlDialect.MySql
                ? MySql(alter, change, old)
                : Postgres(alter, change, old);
            if (message is not null)
            {
                context.Report(change.Span, message);
            }
        }
    }

    private static string? Postgres(AlterTableStatement alter, AlterColumnTypeAction change, DataType? old)
    {
        var column = $"{alter.Table}.{change.Column}";
        if (old is null)
        {
            return $"Changing the type of {column} to {change.NewType}: its old type is unknown (no earlier migration defines it), so Stepwise cannot show the change is binary-coercible; most type changes rewrite the table and its indexes under an ACCESS EXCLUSIVE lock.";
        }

        // a type dropped and re-created under the same name (or renamed outside the history we see) must
        // not read "from status to status"
        var from = string.Equals(old.Text, change.NewType.Text, StringComparison.OrdinalIgnoreCase) ? $" to {change.NewType} (a type of the same name as its old one)" : $" from {old} to {change.NewType}";
        var plainUsing = change.Using is null || IsPlainColumn(change.Using, change.Column);
        if (!plainUsing)
        {
            return $"Changing {column}{from} USING an expression rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes.";
        }

        if (TypeChanges.IsSafeOnPostgres(old, change.NewType) || TypeChanges.IsTimeZoneChange(old, change.NewType))
        {
            return null; // timestamp ↔ timestamptz: timestamp-time-zone-change says when it rewrites
        }

        return $"Changing {column}{from} is not binary-coercible: PostgreSQL rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock, so no reads or writes until it finishes.";
    }

    private static string? MySql(AlterTableStatement alter, AlterColumnTypeAction change, DataType? old)
    {
        var column = $"{alter.Table}.{change.Column}";
        if (old is null)
        {
            // CHANGE old new <type> with no history is most likely a rename: rename-column speaks for it
            return change.NewName is not null
                ? null
                : $"Changing the type of {column} to {change.NewType}: its old type is unknown (no earlier migration defines it), so Stepwise cannot show the change runs in place; most type changes need ALGORITHM=COPY, which copies the table and blocks writes.";
        }

        // restating the same type (a rename, a NULL or default change) is not a type change
        if (SameType(old, change.NewType) || TypeChanges.IsInPlaceOnMySql(old, change.NewType))
        {
            return null;
        }

        var why = TypeChanges.MySqlLengthPrefixChange(old, change.NewType) ?? "the data type changes";
        return $"Changing {column} from {old} to {change.NewType} needs ALGORITHM=COPY because {why}: MySQL copies the whole table and blocks writes until it finishes.";
    }

    private static bool SameType(DataType a, DataType b) =>
        string.Equals(a.Name, b.Name, StringComparison.Ordinal) && a.IsArray == b.IsArray && a.Arguments.SequenceEqual(b.Arguments, StringComparer.OrdinalIgnoreCase);

    /// <summary>`USING col` or `USING col::type` adds no computation beyond the cast itself.</summary>
    internal static bool IsPlainColumn(Expression expression, string column)
    {
        if (expression.Tokens.Count == 0 || expression.Tokens[0].Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier) ||
            !string.Equals(expression.TokenText(0).Trim('"'), column, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (expression.Tokens.Count == 1)
        {
            return true;
        }

        if (expression.TokenText(1) != "::")
        {
            return false;
        }

        // the rest must be a type name: words, (precision, scale), []
        for (var i = 2; i < expression.Tokens.Count; i++)
        {
            if (expression.Tokens[i].Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier or TokenKind.Number or TokenKind.OpenParen or TokenKind.CloseParen or TokenKind.Comma or TokenKind.OpenBracket or TokenKind.CloseBracket or TokenKind.Dot))
            {
                return false;
            }
        }

        return true;
    }
}
