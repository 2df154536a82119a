using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Stepwise.Sqlite;

/// <summary>SQL text helpers of SQLite's expand/contract plans: quoting, a small tokenizer for rewriting
/// identifiers in index/table SQL read from sqlite_schema, and the step guards.</summary>
internal static class SqliteExpandContractText
{
    /// <summary>Prefix of a guarded statement: <c>/* stepwise:if SELECT … */ statement</c>. The SQLite executor runs
    /// the SELECT first (in the same transaction) and skips the statement when it answers 0 or NULL. SQLite has no
    /// IF [NOT] EXISTS for ADD/DROP COLUMN or ALTER TABLE RENAME, and a step must run twice without failing.</summary>
    public const string GuardPrefix = "/* stepwise:if ";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A statement that runs only when <paramref name="condition"/> (a SELECT of one number) is non-zero.</summary>
    public static string Guard(string condition, string statement) => GuardPrefix + condition + " */ " + statement;

    public static string ColumnExists(string table, string column) =>
        $"SELECT count(*) FROM pragma_table_xinfo({Literal(table)}) WHERE name = {Literal(column)} COLLATE NOCASE";

    public static string ColumnAbsent(string table, string column) =>
        $"SELECT count(*) = 0 FROM pragma_table_xinfo({Literal(table)}) WHERE name = {Literal(column)} COLLATE NOCASE";

    public static string ObjectExists(string type, string name) =>
        $"SELECT count(*) FROM sqlite_schema WHERE type = {Literal(type)} AND name = {Literal(name)} COLLATE NOCASE";

    public static string NameFree(string name) =>
        $"SELECT count(*) = 0 FROM sqlite_schema WHERE name = {Literal(name)} COLLATE NOCASE";

    /// <summary>Runs a statement, first its guard if it has one. False: the guard said skip.</summary>
    public static async Task<bool> RunGuardedAsync(SqliteConnection connection, SqliteTransaction? transaction, string statement, int? timeoutSeconds, CancellationToken ct)
    {
        if (statement.StartsWith(GuardPrefix, StringComparison.Ordinal))
        {
            var end = statement.IndexOf("*/", GuardPrefix.Length, StringComparison.Ordinal);
            if (end > 0)
            {
                await using var check = connection.CreateCommand();
                check.Transaction = transaction;
                check.CommandText = statement[GuardPrefix.Length..end];
                var answer = await check.ExecuteScalarAsync(ct).ConfigureAwait(false);
                if (answer is null or DBNull || Convert.ToInt64(answer, CultureInfo.InvariantCulture) == 0)
                {
                    return false;
                }
            }
        }

        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = statement;
        if (timeoutSeconds is { } seconds)
        {
            cmd.CommandTimeout = seconds;
        }

        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return true;
    }

    internal enum TokenKind
    {
        Word,
        Quoted,
        String,
        Symbol,
        Space,
    }

    internal readonly record struct SqlToken(TokenKind Kind, int Start, int Length, string Text)
    {
        /// <summary>The identifier this token names (quotes removed), or null.</summary>
        public string? Identifier => Kind switch
        {
            TokenKind.Word => Text,
            TokenKind.Quoted => Text[0] == '[' ? Text[1..^1] : Text[1..^1].Replace(new string(Text[0], 2), Text[0].ToString(), StringComparison.Ordinal),
            _ => null,
        };
    }

    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var start = i;
            TokenKind kind;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                kind = TokenKind.Space;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                kind = TokenKind.Space;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                kind = TokenKind.Space;
            }
            else if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                i++;
                while (i < sql.Length)
                {
                    if (sql[i] == close)
                    {
                        if (close != ']' && i + 1 < sql.Length && sql[i + 1] == close)
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                kind = c == '\'' ? TokenKind.String : TokenKind.Quoted;
            }
            else if (char.IsLetterOrDigit(c) || c == '_' || c == '$')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                kind = TokenKind.Word;
            }
            else
            {
                i++;
                kind = TokenKind.Symbol;
            }

            tokens.Add(new SqlToken(kind, start, i - start, sql[start..i]));
        }

        return tokens;
    }

    /// <summary>Replaces every identifier token equal to <paramref name="from"/> (case-insensitively) at or after
    /// <paramref name="startAt"/> with the quoted <paramref name="to"/>.</summary>
    public static string ReplaceIdentifier(string sql, string from, string to, int startAt = 0)
    {
        var text = new StringBuilder();
        foreach (var token in Tokenize(sql))
        {
            var replace = token.Start >= startAt && token.Kind is TokenKind.Word or TokenKind.Quoted &&
                string.Equals(token.Identifier, from, StringComparison.OrdinalIgnoreCase);
            text.Append(replace ? Quote(to) : token.Text);
        }

        return text.ToString();
    }

    /// <summary>True when an identifier token equal to <paramref name="name"/> occurs in the text.</summary>
    public static bool Mentions(string sql, string name) =>
        Tokenize(sql).Any(t => t.Kind is TokenKind.Word or TokenKind.Quoted && string.Equals(t.Identifier, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A CREATE INDEX statement's text with its name replaced (keeps everything after the name) and
    /// <paramref name="column"/> renamed to <paramref name="newColumn"/> after ON.</summary>
    public static string RewriteIndex(string createSql, string newName, string? column, string? newColumn)
    {
        var tokens = Tokenize(createSql);
        var significant = tokens.Where(t => t.Kind != TokenKind.Space).ToList();

        // CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON …
        var k = 0;
        while (k < significant.Count && !string.Equals(significant[k].Text, "INDEX", StringComparison.OrdinalIgnoreCase))
        {
            k++;
        }

        k++;
        if (k + 2 < significant.Count && string.Equals(significant[k].Text, "IF", StringComparison.OrdinalIgnoreCase))
        {
            k += 3;
        }

        var name = significant[k];
        var nameEnd = name.Start + name.Length;
        if (k + 2 < significant.Count && significant[k + 1].Text == ".")
        {
            nameEnd = significant[k + 2].Start + significant[k + 2].Length;
        }

        var on = significant.Skip(k).First(t => string.Equals(t.Text, "ON", StringComparison.OrdinalIgnoreCase));
        var tableToken = significant[significant.IndexOf(on) + 1];
        var afterTable = tableToken.Start + tableToken.Length;
        var head = createSql[..name.Start] + Quote(newName) + createSql[nameEnd..afterTable];
        var tail = createSql[afterTable..];
        if (column is not null && newColumn is not null)
        {
            tail = ReplaceIdentifier(tail, column, newColumn);
        }

        return head + tail;
    }

    /// <summary>The column definitions of a CREATE TABLE text, by column name: the text after the name
    /// (type and column constraints, as written). Table constraints are returned under a null key.</summary>
    public static List<(string? Column, string Definition)> ColumnDefinitions(string createTableSql)
    {
        var tokens = Tokenize(createTableSql);
        var open = tokens.FindIndex(t => t.Text == "(");
        var result = new List<(string?, string)>();
        if (open < 0)
        {
            return result;
        }

        var depth = 0;
        var partStart = open + 1;
        for (var i = open; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Text == "(")
            {
                depth++;
            }
            else if (t.Text == ")")
            {
                depth--;
                if (depth == 0)
                {
                    Add(partStart, i);
                    break;
                }
            }
            else if (t.Text == "," && depth == 1)
            {
                Add(partStart, i);
                partStart = i + 1;
            }
        }

        return result;

        void Add(int from, int to)
        {
            var part = tokens.Skip(from).Take(to - from).ToList();
            var first = part.FindIndex(t => t.Kind != TokenKind.Space);
            if (first < 0)
            {
                return;
            }

            var head = part[first];
            var text = string.Concat(part.Skip(first + 1).Select(t => t.Text)).Trim();
            var keyword = head.Kind == TokenKind.Word && head.Text.ToUpperInvariant() is "CONSTRAINT" or "PRIMARY" or "UNIQUE" or "CHECK" or "FOREIGN";
            result.Add(keyword ? (null, head.Text + " " + text) : (head.Identifier, text));
        }
    }
}
