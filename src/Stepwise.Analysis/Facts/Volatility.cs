using Stepwise.Sql;
using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Facts;

/// <summary>Which default expressions force PostgreSQL to rewrite the table when a column is added.</summary>
public static class Volatility
{
    // VOLATILE functions commonly used as defaults; now()/current_timestamp and txid_current() are STABLE
    // (evaluated once for the statement) and do not rewrite.
    private static readonly HashSet<string> VolatileFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuid_generate_v7", "uuidv4", "uuidv7",
        "random", "clock_timestamp", "timeofday", "nextval", "currval", "lastval", "gen_random_bytes", "gen_salt", "random_normal", "setseed",
        "uuid", "rand", "uuid_short",
    };

    /// <summary>The first volatile function the expression calls, or null.</summary>
    public static string? VolatileCall(Expression expression)
    {
        for (var i = 0; i + 1 < expression.Tokens.Count; i++)
        {
            if (expression.Tokens[i].Kind == TokenKind.Word && expression.Tokens[i + 1].Kind == TokenKind.OpenParen)
            {
                var name = expression.TokenText(i);
                if (VolatileFunctions.Contains(name))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>DEFAULT NULL is no default at all.</summary>
    public static bool IsNullDefault(Expression? expression) =>
        expression is null || (expression.Tokens.Count == 1 && expression.IsWord(0, "NULL"));
}
