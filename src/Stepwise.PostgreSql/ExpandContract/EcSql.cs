using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Stepwise.Engines;
using Stepwise.Sql;
using Stepwise.Sql.Lexing;

namespace Stepwise.PostgreSql.ExpandContract;

/// <summary>Quoting, object names, idempotency guards and token rewriting for PostgreSQL's expand/contract SQL.</summary>
internal static class EcSql
{
    private const int MaxIdentifier = 63;

    public static string Q(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The migration id made safe for names: [a-z0-9_].</summary>
    public static string Id(string id) => new([.. id.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_')]);

    /// <summary>A <c>_sw_</c> name, truncated with a short hash when longer than PostgreSQL's 63 bytes.</summary>
    public static string Name(string id, string rest)
    {
        var name = "_sw_" + id + "_" + rest;
        if (Encoding.UTF8.GetByteCount(name) <= MaxIdentifier)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        var keep = name;
        while (Encoding.UTF8.GetByteCount(keep) > MaxIdentifier - 9)
        {
            keep = keep[..^1];
        }

        return keep + "_" + hash;
    }

    /// <summary>A DO block; the dollar tag is chosen so the body cannot end it.</summary>
    public static string Do(string body)
    {
        var tag = "$sw$";
        for (var i = 0; body.Contains(tag, StringComparison.Ordinal); i++)
        {
            tag = "$sw" + i.ToString(CultureInfo.InvariantCulture) + "$";
        }

        return $"DO {tag} BEGIN {body} END {tag}";
    }

    /// <summary>Runs the statements only when the condition holds (one DO block).</summary>
    public static string When(string condition, params string[] statements) =>
        Do($"IF {condition} THEN {string.Join("; ", statements)}; END IF;");

    public static string ColumnExists(string table, string column) =>
        $"EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass({Literal(table)}) AND attname = {Literal(column)} AND attnum > 0 AND NOT attisdropped)";

    public static string ConstraintExists(string table, string constraint) =>
        $"EXISTS (SELECT 1 FROM pg_catalog.pg_constraint WHERE conrelid = to_regclass({Literal(table)}) AND conname = {Literal(constraint)})";

    public static string RelationIs(string relation, string kinds) =>
        $"EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass({Literal(relation)}) AND relkind IN ({string.Join(", ", kinds.Select(k => "'" + k + "'"))}))";

    public static string RelationMissing(string relation) => $"to_regclass({Literal(relation)}) IS NULL";

    /// <summary>Drops an index left INVALID by an interrupted concurrent build (a plain DROP: an invalid index is
    /// never used, and dropping it is quick), so the next CREATE … IF NOT EXISTS builds it again.</summary>
    public static string DropIfInvalid(string qualifiedIndex) => When(
        $"EXISTS (SELECT 1 FROM pg_catalog.pg_index WHERE indexrelid = to_regclass({Literal(qualifiedIndex)}) AND NOT indisvalid)",
        $"DROP INDEX {qualifiedIndex}");

    /// <summary>The normalised name of an identifier token (unquoted words fold to lower case), or null.</summary>
    public static string? IdentifierName(string sql, Token token) => token.Kind switch
    {
        TokenKind.Word => sql.Substring(token.Start, token.Length).ToLowerInvariant(),
        TokenKind.QuotedIdentifier when token.Length >= 2 && sql[token.Start] == '"' =>
            sql.Substring(token.Start + 1, token.Length - 2).Replace("\"\"", "\"", StringComparison.Ordinal),
        _ => null,
    };

    /// <summary>Replaces column references in an expression (tokens from the PostgreSQL lexer, never text search):
    /// an identifier the map knows, not a function name, a qualifier, a qualified part or a type after :: or AS.
    /// Only tokens from <paramref name="from"/> on are considered.</summary>
    public static string RewriteColumns(string sql, Func<string, string?> map, int from = 0)
    {
        var tokens = SqlLexer.Tokenize(sql, SqlDialect.PostgreSql);
        var significant = tokens.Select((t, i) => (t, i)).Where(x => !x.t.IsTrivia).Select(x => x.i).ToList();
        var replace = new Dictionary<int, string>();
        for (var k = 0; k < significant.Count; k++)
        {
            var token = tokens[significant[k]];
            if (token.Start < from || IdentifierName(sql, token) is not { } name || map(name) is not { } replacement)
            {
                continue;
            }

            var next = k + 1 < significant.Count ? tokens[significant[k + 1]] : default;
            var previous = k > 0 ? tokens[significant[k - 1]] : default;
            var previousText = k > 0 ? sql.Substring(previous.Start, previous.Length) : string.Empty;
            var isCall = k + 1 < significant.Count && next.Kind is TokenKind.OpenParen or TokenKind.Dot;
            var isTypeOrQualified = k > 0 && (previous.Kind == TokenKind.Dot || previousText == "::" || previousText.Equals("AS", StringComparison.OrdinalIgnoreCase));
            if (!isCall && !isTypeOrQualified)
            {
                replace[significant[k]] = replacement;
            }
        }

        var builder = new StringBuilder(sql.Length + 16);
        for (var i = 0; i < tokens.Length; i++)
        {
            builder.Append(replace.TryGetValue(i, out var r) ? r : sql.AsSpan(tokens[i].Start, tokens[i].Length));
        }

        return builder.ToString();
    }

    /// <summary>Whether an expression refers to a column (same token rules as <see cref="RewriteColumns"/>).</summary>
    public static bool Mentions(string sql, string column)
    {
        var found = false;
        RewriteColumns(sql, name =>
        {
            found |= name == column;
            return null;
        });
        return found;
    }

    /// <summary>An index definition from pg_get_indexdef rewritten for a concurrent, idempotent build under a new
    /// name, with column references moved by <paramref name="map"/> (only in the key list, INCLUDE and WHERE).</summary>
    public static string CopyIndex(string definition, string newName, Func<string, string?> map)
    {
        var tokens = SqlLexer.Tokenize(definition, SqlDialect.PostgreSql);
        int indexWord = -1, nameToken = -1, firstParen = -1;
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (indexWord < 0 && t.Kind == TokenKind.Word && definition.Substring(t.Start, t.Length).Equals("INDEX", StringComparison.OrdinalIgnoreCase))
            {
                indexWord = i;
            }
            else if (indexWord >= 0 && nameToken < 0 && t.Kind is TokenKind.Word or TokenKind.QuotedIdentifier)
            {
                nameToken = i;
            }
            else if (nameToken >= 0 && t.Kind == TokenKind.OpenParen)
            {
                firstParen = i;
                break;
            }
        }

        if (indexWord < 0 || nameToken < 0 || firstParen < 0)
        {
            throw new EcPlanException($"cannot read the index definition '{definition}'");
        }

        var head = definition[..tokens[indexWord].End] + " CONCURRENTLY IF NOT EXISTS " + Q(newName);
        var tail = RewriteColumns(definition[tokens[nameToken].End..], map, tokens[firstParen].Start - tokens[nameToken].End);
        return head + tail;
    }
}
