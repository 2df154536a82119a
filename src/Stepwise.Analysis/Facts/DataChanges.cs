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
        var keys = table?.Constraints.Where(c => c.Kind is ConstraintKind.PrimaryKey or ConstraintKind.Unique).ToList();
        if (keys is null || keys.Count == 0)
        {
            // no key known from the history (plain indexes and FKs say nothing about uniqueness)
            return string.Equals(column, "id", StringComparison.Ordinal);
        }

        return keys.Any(c => c.Columns.Count == 1 && string.Equals(c.Columns[0], column, StringComparison.Ordinal));
    }

    /// <summary>True when the table holds rows the application uses: not created earlier in this file, and
    /// not a temporary table this file made (scratch space of a data change).</summary>
    public static bool IsLiveTable(Stepwise.Analysis.Rules.RuleContext context, ObjectName table) =>
        context.IsExistingTable(table) && !IsSystemCatalog(table, context.Dialect) &&
        !context.Statements.Any(s => s is CreateTableStatement { Temporary: true } create && create.Table.Key == table.Key);

    /// <summary>A table of the database's own catalog (pg_catalog.pg_index, information_schema.*, mysql.user,
    /// sqlite_sequence): changing its rows is repairing metadata, not a data migration to batch. An
    /// unqualified pg_* name is the catalog's, since PostgreSQL searches pg_catalog first.</summary>
    public static bool IsSystemCatalog(ObjectName table, SqlDialect dialect) => dialect switch
    {
        SqlDialect.PostgreSql => table.Schema is "pg_catalog" or "information_schema" || (table.Schema is null && table.Name.StartsWith("pg_", StringComparison.Ordinal)),
        SqlDialect.MySql => table.Schema is "mysql" or "information_schema" or "performance_schema" or "sys",
        _ => table.Name.StartsWith("sqlite_", StringComparison.Ordinal),
    };

    /// <summary>True for `WITH batch AS (SELECT … LIMIT n) UPDATE/DELETE … batch …`: a CTE selects one
    /// LIMITed batch and the statement after it refers to that CTE by name.</summary>
    public static bool HasBoundedCte(SourceText source, IReadOnlyList<Token> tokens, int first, int end)
    {
        if (first >= end || !IsWord(source, tokens[first], "WITH"))
        {
            return false;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var limited = false;
        var depth = 0;
        var i = first + 1;
        Token? previous = null;
        for (; i < end; i++)
        {
            var t = tokens[i];
            if (t.IsTrivia)
            {
                continue;
            }

            if (t.Kind == TokenKind.OpenParen)
            {
                depth++;
            }
            else if (t.Kind == TokenKind.CloseParen)
            {
                depth--;
            }
            else if (depth == 0 && (IsWord(source, t, "UPDATE") || IsWord(source, t, "DELETE")))
            {
                break;
            }
            else if (depth == 0 && IsWord(source, t, "AS") && previous is { } p && p.Kind is TokenKind.Word or TokenKind.QuotedIdentifier)
            {
                names.Add(Unquote(source, p));
            }
            else if (depth > 0 && (IsWord(source, t, "LIMIT") || IsWord(source, t, "FETCH")))
            {
                limited = true;
            }

            if (depth == 0)
            {
                previous = t;
            }
        }

        if (!limited || names.Count == 0)
        {
            return false;
        }

        for (; i < end; i++)
        {
            if (tokens[i].Kind is TokenKind.Word or TokenKind.QuotedIdentifier && names.Contains(Unquote(source, tokens[i])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the statement's tokens read rows from the table: `FROM table` or `JOIN table`
    /// (an INSERT … SELECT copying rows out of it).</summary>
    public static bool ReadsFrom(SourceText source, IReadOnlyList<Token> tokens, int first, int end, ObjectName table, SqlDialect dialect)
    {
        for (var i = first; i < end; i++)
        {
            if (!IsWord(source, tokens[i], "FROM") && !IsWord(source, tokens[i], "JOIN"))
            {
                continue;
            }

            var key = TableKeyAt(source, tokens, i + 1, end, dialect, out _);
            if (key is not null && string.Equals(key, table.Key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads `name` or `schema.name` starting at the next significant token from index, as an
    /// <see cref="ObjectName.Key"/>; null when no name is there.</summary>
    internal static string? TableKeyAt(SourceText source, IReadOnlyList<Token> tokens, int index, int end, SqlDialect dialect, out int next)
    {
        next = index;
        var parts = new List<string>(2);
        var i = SkipTrivia(tokens, index, end);
        while (i < end && tokens[i].Kind is TokenKind.Word or TokenKind.QuotedIdentifier)
        {
            parts.Add(Identifier(source, tokens[i], dialect));
            next = i + 1;
            var dot = SkipTrivia(tokens, i + 1, end);
            if (dot >= end || tokens[dot].Kind != TokenKind.Dot)
            {
                break;
            }

            i = SkipTrivia(tokens, dot + 1, end);
        }

        if (parts.Count == 0)
        {
            return null;
        }

        var name = parts[^1];
        var schema = parts.Count > 1 ? parts[^2] : null;
        return schema is null || string.Equals(schema, "public", StringComparison.Ordinal) ? name : schema + "." + name;
    }

    /// <summary>The tokens a statement's FirstToken/EndToken index: the script's, or for a statement inside
    /// a DO block or function body, that body's own tokens.</summary>
    internal static Token[] TokensOf(ParsedScript script, Statement statement)
    {
        if (statement.Context is null)
        {
            return script.Tokens;
        }

        foreach (var outer in script.Statements)
        {
            var body = outer switch
            {
                DoStatement d => d.Body,
                CreateFunctionStatement f => f.Body,
                _ => null,
            };
            if (body is not null && body.Span.Start <= statement.Span.Start && statement.Span.End <= body.Span.End)
            {
                return body.Tokens;
            }
        }

        return [];
    }

    private static int SkipTrivia(IReadOnlyList<Token> tokens, int index, int end)
    {
        while (index < end && tokens[index].IsTrivia)
        {
            index++;
        }

        return index;
    }

    /// <summary>Folds an identifier the way the parser does: unquoted names lower-cased, quoted names kept
    /// (PostgreSQL) or lower-cased (MySQL and SQLite compare them case-insensitively).</summary>
    private static string Identifier(SourceText source, Token token, SqlDialect dialect)
    {
        var text = Unquote(source, token);
        return token.Kind == TokenKind.QuotedIdentifier && dialect == SqlDialect.PostgreSql ? text : text.ToLowerInvariant();
    }

    private static string Unquote(SourceText source, Token token)
    {
        var text = source.ToString(token.Span);
        if (token.Kind != TokenKind.QuotedIdentifier || text.Length < 2)
        {
            return text;
        }

        var close = text[0] == '[' ? ']' : text[0];
        return text[^1] == close ? text[1..^1].Replace(new string(close, 2), new string(close, 1), StringComparison.Ordinal) : text[1..];
    }

    private static bool IsWord(SourceText source, Token token, string word) =>
        token.Kind == TokenKind.Word && source.Slice(token.Span).Equals(word, StringComparison.OrdinalIgnoreCase);

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
