using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>MySQL's and MariaDB's error numbers, classified once (the runner never looks at a number).</summary>
internal static class MySqlErrors
{
    public static ErrorKind Classify(Exception ex) => (ex as MySqlException)?.Number switch
    {
        1205 or 3572 => ErrorKind.LockTimeout, // lock wait timeout (metadata or row), NOWAIT
        1969 or 3024 => ErrorKind.StatementTimeout, // MariaDB max_statement_time, MySQL max_execution_time
        2006 or 2013 or 1927 or 1053 => ErrorKind.ConnectionLost, // server gone / lost / killed / shutdown
        1050 or 1060 or 1061 or 1826 => ErrorKind.AlreadyExists, // table, column, key, foreign key exists
        1051 or 1091 or 1146 => ErrorKind.DoesNotExist, // unknown table (DROP TABLE), can't drop (column/key), no such table
        null => ErrorKind.ConnectionLost,
        _ when ex is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => ErrorKind.ConnectionLost,
        _ when BrokenStream(ex.InnerException) => ErrorKind.ConnectionLost, // "Failed to read the result set." after KILL, a restart
        _ => ErrorKind.Statement,
    };

    /// <summary>The driver wraps a connection the server closed (error 0) around the end of its stream.</summary>
    private static bool BrokenStream(Exception? cause) =>
        cause is not null && (cause is IOException or System.Net.Sockets.SocketException || BrokenStream(cause.InnerException));
}
