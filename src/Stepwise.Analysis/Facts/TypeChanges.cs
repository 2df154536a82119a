using Stepwise.Sql.Syntax;

namespace Stepwise.Analysis.Facts;

/// <summary>Whether a column type change rewrites the table.</summary>
public static class TypeChanges
{
    /// <summary>PostgreSQL: true when the change is binary-coercible (no rewrite, indexes kept).
    /// Unknown old types (no history) are not assumed safe.</summary>
    public static bool IsSafeOnPostgres(DataType? from, DataType to)
    {
        if (from is null || from.IsArray != to.IsArray)
        {
            return false;
        }

        // serial columns are integers with a default: integer -> integer is no change
        var f = StorageName(from.Name);
        var t = StorageName(to.Name);
        if (string.Equals(f, t, StringComparison.Ordinal))
        {
            return f switch
            {
                // varchar(n) -> varchar(m >= n) or unbounded; varchar(n) -> varchar(m < n) rewrites (checks)
                "varchar" or "varbit" => to.FirstArgument is null || (from.FirstArgument is { } n && to.FirstArgument >= n),
                // numeric(p, s) -> numeric(q >= p, s): same scale, more precision; unconstrained numeric is fine
                "numeric" => to.FirstArgument is null || (from.FirstArgument is { } p && to.FirstArgument >= p && (from.SecondArgument ?? 0) == (to.SecondArgument ?? 0)),
                // timestamp(p): increasing precision is free
                "timestamp" or "timestamptz" or "time" or "timetz" or "interval" => to.FirstArgument is null || (from.FirstArgument is { } q && to.FirstArgument >= q),
                "char" => from.FirstArgument == to.FirstArgument,
                _ => from.Arguments.SequenceEqual(to.Arguments, StringComparer.OrdinalIgnoreCase),
            };
        }

        return (f, t) switch
        {
            ("varchar", "text") or ("text", "varchar") when t == "text" || to.FirstArgument is null => true,
            ("char", "text") or ("char", "varchar") => false,
            ("cidr", "inet") => true,
            ("varbit", "bit") => false,
            ("timestamp", "timestamptz") or ("timestamptz", "timestamp") => false, // see IsTimeZoneChange
            _ => false,
        };
    }

    /// <summary>PostgreSQL timestamp ↔ timestamptz with no loss of precision: a rewrite unless the session
    /// time zone is UTC on PostgreSQL 12+ (the `timestamp-time-zone-change` rule judges it).</summary>
    public static bool IsTimeZoneChange(DataType? from, DataType to) =>
        from is not null && from.IsArray == to.IsArray &&
        ((from.Name, to.Name) is ("timestamp", "timestamptz") or ("timestamptz", "timestamp")) &&
        (to.FirstArgument is null || (from.FirstArgument is { } p && to.FirstArgument >= p));

    /// <summary>MySQL/MariaDB: true when the change can run INPLACE/INSTANT without copying the table: the same
    /// base type with a VARCHAR length extension that keeps the length-prefix size (≤ 255 bytes stays 1 byte;
    /// utf8mb4 counts 4 bytes a character, so 63 characters), or ENUM/SET members appended at the end without
    /// changing the storage size.</summary>
    public static bool IsInPlaceOnMySql(DataType? from, DataType to, int bytesPerChar = 4)
    {
        if (from is null || !string.Equals(from.Name, to.Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (from.Name is "varchar" or "varbinary")
        {
            if (from.FirstArgument is not { } n || to.FirstArgument is not { } m || m < n)
            {
                return false;
            }

            var per = from.Name == "varbinary" ? 1 : bytesPerChar;
            return (n * per <= 255) == (m * per <= 255);
        }

        if (from.Name is "enum" or "set" && to.Arguments.Count >= from.Arguments.Count &&
            from.Arguments.SequenceEqual(to.Arguments.Take(from.Arguments.Count), StringComparer.Ordinal))
        {
            // ENUM stores 1 byte up to 255 members; SET stores one byte per 8 members
            return from.Name == "enum"
                ? (from.Arguments.Count <= 255) == (to.Arguments.Count <= 255)
                : (from.Arguments.Count + 7) / 8 == (to.Arguments.Count + 7) / 8;
        }

        return from.Arguments.SequenceEqual(to.Arguments, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>MySQL: why a VARCHAR/VARBINARY extension still copies (the length prefix grows to 2 bytes), or null.</summary>
    public static string? MySqlLengthPrefixChange(DataType? from, DataType to, int bytesPerChar = 4)
    {
        if (from is null || !string.Equals(from.Name, to.Name, StringComparison.Ordinal) || from.Name is not ("varchar" or "varbinary") ||
            from.FirstArgument is not { } n || to.FirstArgument is not { } m || m < n)
        {
            return null;
        }

        var per = from.Name == "varbinary" ? 1 : bytesPerChar;
        if ((n * per <= 255) == (m * per <= 255))
        {
            return null;
        }

        return per == 1
            ? "the length prefix grows from 1 to 2 bytes (the maximum crosses 255 bytes)"
            : $"the length prefix grows from 1 to 2 bytes (the maximum crosses 255 bytes: {255 / per} characters at {per} bytes each in utf8mb4)";
    }

    private static string StorageName(string name) => name switch
    {
        "serial" => "integer",
        "bigserial" => "bigint",
        "smallserial" => "smallint",
        _ => name,
    };
}
