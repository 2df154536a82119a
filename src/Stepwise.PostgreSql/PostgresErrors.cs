using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>PostgreSQL's error codes, classified once (the runner never looks at a SQLSTATE).</summary>
internal static class PostgresErrors
{
    public static ErrorKind Classify(Exception ex) => (ex as PostgresException)?.SqlState switch
    {
        "55P03" => ErrorKind.LockTimeout, // lock_not_available (lock_timeout)
        "57014" when ex.Message.Contains("statement timeout", StringComparison.OrdinalIgnoreCase) => ErrorKind.StatementTimeout,
        "57P01" or "57P02" or "57P03" or "08000" or "08003" or "08006" => ErrorKind.ConnectionLost,
        "42P07" or "42701" or "42710" or "42P06" => ErrorKind.AlreadyExists, // duplicate relation/column/object/schema
        "42704" or "42703" or "42P01" => ErrorKind.DoesNotExist, // undefined object/column/table (a DROP already done)
        null when ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException => ErrorKind.ConnectionLost,
        _ => ErrorKind.Statement,
    };

    public static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.MessageText} (SQLSTATE {pg.SqlState}){(pg.Detail is { Length: > 0 } d ? ": " + d : string.Empty)}",
        NpgsqlException { InnerException: { } inner } => inner.Message,
        _ => ex.Message,
    };
}
