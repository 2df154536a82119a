using System.Globalization;
using Stepwise.Sql;

namespace Stepwise.Engines;

/// <summary>The query parameters a database URL may carry, per engine, under the names the engines read
/// from <see cref="DatabaseTarget.Parameters"/>. Anything else is refused by name: a parameter dropped
/// without a word can point the run at the wrong server or schema.</summary>
public static class DatabaseUrlParameters
{
    // PostgreSQL: libpq's names (host, port, user, password and dbname go into the target's fields)
    /// <summary>libpq <c>options</c>: server settings for the session, e.g. <c>-c lock_timeout=5s</c>.</summary>
    public const string Options = "options";
    /// <summary><c>search_path</c> (also <c>currentSchema</c>, <c>schema</c>): where unqualified names, and the journal, live.</summary>
    public const string SearchPath = "search_path";
    /// <summary><c>application_name</c>: how the session shows in pg_stat_activity.</summary>
    public const string ApplicationName = "application_name";
    /// <summary>libpq <c>sslmode</c>: disable, allow, prefer, require, verify-ca or verify-full.</summary>
    public const string SslMode = "sslmode";
    /// <summary><c>sslrootcert</c>: the CA certificate file that verifies the server.</summary>
    public const string SslRootCert = "sslrootcert";
    /// <summary><c>sslcert</c>: the client certificate file.</summary>
    public const string SslCert = "sslcert";
    /// <summary><c>sslkey</c>: the client key file.</summary>
    public const string SslKey = "sslkey";
    /// <summary><c>sslpassword</c>: the client key's password (never printed).</summary>
    public const string SslPassword = "sslpassword";
    /// <summary><c>connect_timeout</c>: seconds to wait for the connection.</summary>
    public const string ConnectTimeout = "connect_timeout";

    // MySQL / MariaDB: the mysql client's option names (socket, port, user and password go into the fields)
    /// <summary>MySQL <c>ssl-mode</c> (also <c>sslmode</c>, <c>ssl_mode</c>): disabled, preferred, required, verify_ca or verify_identity.</summary>
    public const string MySqlSslMode = "ssl-mode";
    /// <summary>MySQL <c>ssl-ca</c>: the CA certificate file.</summary>
    public const string MySqlSslCa = "ssl-ca";
    /// <summary>MySQL <c>ssl-cert</c>: the client certificate file.</summary>
    public const string MySqlSslCert = "ssl-cert";
    /// <summary>MySQL <c>ssl-key</c>: the client key file.</summary>
    public const string MySqlSslKey = "ssl-key";
    /// <summary>MySQL <c>charset</c>: only utf8mb4 (and its utf8 aliases), which the driver always speaks.</summary>
    public const string Charset = "charset";

    // parameters that set the target's fields rather than Parameters
    internal const string Host = "host";
    internal const string Socket = "socket";
    internal const string Port = "port";
    internal const string User = "user";
    internal const string Password = "password";
    internal const string DatabaseName = "dbname";

    private static readonly string[] PostgresValidSslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

    /// <summary>The parameter names accepted for <paramref name="dialect"/>, as the error lists them.</summary>
    public static string Supported(SqlDialect dialect) => dialect switch
    {
        SqlDialect.PostgreSql => "host, port, user, password, dbname, options, search_path (or currentSchema, schema), application_name, sslmode, sslrootcert, sslcert, sslkey, sslpassword, connect_timeout",
        SqlDialect.MySql => "socket, port, user, password, ssl-mode (or sslmode, ssl_mode), ssl-ca, ssl-cert, ssl-key, charset, connect_timeout",
        _ => "none",
    };

    /// <summary>The canonical name of <paramref name="key"/> for the engine, or null when it is not supported.</summary>
    internal static string? Canonical(SqlDialect dialect, string key)
    {
        var k = key.ToLowerInvariant();
        return dialect switch
        {
            SqlDialect.PostgreSql => k switch
            {
                Host or Port or User or Password or DatabaseName or Options or ApplicationName or SslMode or SslRootCert or SslCert or SslKey or SslPassword or ConnectTimeout => k,
                SearchPath or "currentschema" or "schema" => SearchPath,
                _ => null,
            },
            SqlDialect.MySql => k switch
            {
                Socket or Port or User or Password or Charset => k,
                MySqlSslMode or "sslmode" or "ssl_mode" => MySqlSslMode,
                MySqlSslCa or "ssl_ca" => MySqlSslCa,
                MySqlSslCert or "ssl_cert" => MySqlSslCert,
                MySqlSslKey or "ssl_key" => MySqlSslKey,
                ConnectTimeout or "connect-timeout" => ConnectTimeout,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>Checks and normalizes the value of a canonical parameter; the error never repeats a password.</summary>
    internal static bool TryNormalize(SqlDialect dialect, string name, string value, out string normalized, out string error)
    {
        normalized = value;
        error = string.Empty;
        switch (name)
        {
            case Port:
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
                {
                    error = $"database URL parameter port={value} is not a number from 1 to 65535";
                    return false;
                }

                normalized = port.ToString(CultureInfo.InvariantCulture);
                return true;
            case ConnectTimeout:
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    error = $"database URL parameter connect_timeout={value} is not a whole number of seconds (0 waits forever)";
                    return false;
                }

                normalized = seconds.ToString(CultureInfo.InvariantCulture);
                return true;
            case SslMode when dialect == SqlDialect.PostgreSql:
                normalized = value.ToLowerInvariant();
                if (!PostgresValidSslModes.Contains(normalized))
                {
                    error = $"database URL parameter sslmode={value} is not one of {string.Join(", ", PostgresValidSslModes)}";
                    return false;
                }

                return true;
            case MySqlSslMode:
                normalized = value.ToLowerInvariant().Replace('-', '_') switch
                {
                    "disabled" or "none" or "disable" => "disabled",
                    "preferred" or "prefer" => "preferred",
                    "required" or "require" => "required",
                    "verify_ca" or "verifyca" => "verify_ca",
                    "verify_identity" or "verify_full" or "verifyfull" => "verify_identity",
                    _ => string.Empty,
                };
                if (normalized.Length == 0)
                {
                    error = $"database URL parameter ssl-mode={value} is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY";
                    return false;
                }

                return true;
            case Charset:
                if (value.ToLowerInvariant() is not ("utf8mb4" or "utf8" or "utf8mb3"))
                {
                    error = $"database URL parameter charset={value} is not supported: Stepwise always talks utf8mb4 to the server (charset=utf8mb4 or utf8 are accepted)";
                    return false;
                }

                normalized = "utf8mb4";
                return true;
            default:
                return true;
        }
    }
}
