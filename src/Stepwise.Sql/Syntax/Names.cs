using System.Text;

namespace Stepwise.Sql.Syntax;

/// <summary>Identifier folding: unquoted names fold to lower case (PostgreSQL folds them; MySQL and SQLite
/// compare them case-insensitively); quoted names keep their case in PostgreSQL.</summary>
internal static class Names
{
    public static bool IsIdentifier(Token token) => token.Kind is TokenKind.Word or TokenKind.QuotedIdentifier;

    public static string Normalize(SourceText source, Token token, SqlDialect dialect)
    {
        var text = source.Slice(token.Span);
        if (token.Kind == TokenKind.QuotedIdentifier && text.Length >= 1)
        {
            var open = text[0];
            var close = open == '[' ? ']' : open;
            var inner = text.Length >= 2 && text[^1] == close && !token.IsUnterminated ? text[1..^1] : text[1..];
            var unescaped = inner.ToString().Replace(new string(close, 2), new string(close, 1), StringComparison.Ordinal);
            return dialect == SqlDialect.PostgreSql ? unescaped : unescaped.ToLowerInvariant();
        }

        if (token.Kind == TokenKind.String && text.Length >= 2)
        {
            // MySQL accepts 'name' in a few places (enum values, comments); keep the content.
            return text[1..^1].ToString();
        }

        return text.ToString().ToLowerInvariant();
    }

    /// <summary>Normalises a SQL type name and its multi-word spellings.</summary>
    public static string TypeName(string words) => words switch
    {
        "int" or "int4" or "integer" or "serial" or "serial4" or "mediumint" => words is "serial" or "serial4" ? "serial" : "integer",
        "int8" or "bigint" => "bigint",
        "bigserial" or "serial8" => "bigserial",
        "int2" or "smallint" => "smallint",
        "smallserial" or "serial2" => "smallserial",
        "varchar" or "character varying" or "char varying" or "nvarchar" or "national character varying" => "varchar",
        "char" or "character" or "bpchar" or "nchar" or "national character" => "char",
        "bool" or "boolean" => "boolean",
        "float8" or "double precision" or "double" => "double precision",
        "float4" or "real" => "real",
        "decimal" or "numeric" or "dec" => "numeric",
        "timestamp" or "timestamp without time zone" => "timestamp",
        "timestamptz" or "timestamp with time zone" => "timestamptz",
        "time" or "time without time zone" => "time",
        "timetz" or "time with time zone" => "timetz",
        "varbit" or "bit varying" => "varbit",
        _ => words,
    };

    public static string JoinWords(IEnumerable<string> words)
    {
        var sb = new StringBuilder();
        foreach (var w in words)
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(w);
        }

        return sb.ToString();
    }
}
