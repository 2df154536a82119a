using Stepwise.Sql;
using Stepwise.Sql.Syntax;
using Stepwise.Analysis.Schema;

namespace Stepwise.Analysis.Facts;

/// <summary>Decides whether an UPDATE or DELETE is bounded to one batch (or a few rows) rather than a sweep
/// over the whole table.</summary>
public static class DataChanges
{
    /// <summary>True when the WHERE clause bounds the rows touched: a key range (BETWEEN, or both a lower
    /// and an upper bound on one column), an IN (SELECT … LIMIT n) subquery, a LIMIT (MySQL), or equality /
    /// IN-list on a primary-key or unique column (or a column named id when the table's keys are unknown).</summary>
    public static bool IsBounded(Expression? where, bool hasLimit, TableModel? table)
    {
        if (hasLimit)
        {
            return true;
        }

        if (where is null || where.Tokens.Count == 0)
        {
            return false;
        }

        if (HasLimitSubquery(where) || where.ContainsWord("BETWEEN"))
        {
            return true;
        }

        var lower = new HashSet<string>(StringComparer.Ordinal);
        var upper = new HashSet<string>(StringComparer.Ordinal);
        var tokens = where.Tokens;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Kind is not (TokenKind.Word or TokenKind.QuotedIdentifier))
            {
                continue;
            }

            var column = ColumnName(where, i);
            var op = tokens[i + 1].Kind == TokenKind.Operator ? where.TokenText(i + 1) : null;
            if (op is ">" or ">=")
            {
                lower.Add(column);
            }
            else if (op is "<" or "<=")
            {
                upper.Add(column);
            }
            else if ((op == "=" && i + 2 < tokens.Count && IsLiteral(tokens[i + 2])) || (where.IsWord(i + 1, "IN") && i + 2 < tokens.Count && tokens[i + 2].Kind == TokenKind.OpenParen && !where.IsWord(i + 3, "SELECT")))
            {
                if (IsKey(table, column))
                {
                    return true;
                }
            }
        }

        return lower.Overlaps(upper);
    }

    private static string ColumnName(Expression where, int index)
    {
        var text = where.TokenText(index).Trim('"', '`').ToLowerInvariant();
        return text;
    }

    private static bool IsLiteral(Token token) => token.Kind is TokenKind.Number or TokenKind.String or TokenKind.Parameter;

    private static bool IsKey(TableModel? table, string column)
    {
        if (table is null || table.Constraints.Count == 0)
        {
            return string.Equals(column, "id", StringComparison.Ordinal);
        }

        return table.Constraints.Any(c => c.Kind is Stepwise.Sql.Syntax.ConstraintKind.PrimaryKey or Stepwise.Sql.Syntax.ConstraintKind.Unique &&
            c.Columns.Count == 1 && string.Equals(c.Columns[0], column, StringComparison.Ordinal));
    }

    /// <summary>`… IN (SELECT … LIMIT n …)` or `= ANY (ARRAY(SELECT … LIMIT n))`: one batch.</summary>
    private static bool HasLimitSubquery(Expression where)
    {
        var depth = 0;
        var selectDepth = -1;
        for (var i = 0; i < where.Tokens.Count; i++)
        {
            var t = where.Tokens[i];
            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen)
            {
                depth--;
                if (depth < selectDepth)
                {
                    selectDepth = -1;
                }
            }
            else if (where.IsWord(i, "SELECT") && depth > 0)
            {
                selectDepth = depth;
            }
            else if (selectDepth > 0 && (where.IsWord(i, "LIMIT") || where.IsWord(i, "FETCH")))
            {
                return true;
            }
        }

        return false;
    }
}
