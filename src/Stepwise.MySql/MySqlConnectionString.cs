using System.Globalization;
using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>Turns a parsed database URL into a MySqlConnector connection string. The parser has already refused
/// unknown parameters and invalid values, so every parameter here maps onto one property.</summary>
internal static class MySqlConnectionString
{
    public static string Build(DatabaseTarget target)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            // a Server starting with '/' is the path of a Unix socket file (the port is then not used)
            Server = target.Host,
            Port = (uint)target.Port,
            Database = target.Database,
            UserID = target.User ?? "root",
            Password = target.Password ?? string.Empty,
            ApplicationName = "stepwise",
            ConnectionTimeout = 15,
            DefaultCommandTimeout = 0,
            Pooling = false,
            AllowUserVariables = true,
        };
        if (target.IsUnixSocket)
        {
            builder.ConnectionProtocol = MySqlConnectionProtocol.UnixSocket;
        }

        foreach (var (key, value) in target.Parameters)
        {
            switch (key)
            {
                case DatabaseUrlParameters.MySqlSslMode:
                    builder.SslMode = value switch
                    {
                        "disabled" => MySqlSslMode.None,
                        "preferred" => MySqlSslMode.Preferred,
                        "required" => MySqlSslMode.Required,
                        "verify_ca" => MySqlSslMode.VerifyCA,
                        _ => MySqlSslMode.VerifyFull,
                    };
                    break;
                case DatabaseUrlParameters.MySqlSslCa:
                    builder.SslCa = value;
                    break;
                case DatabaseUrlParameters.MySqlSslCert:
                    builder.SslCert = value;
                    break;
                case DatabaseUrlParameters.MySqlSslKey:
                    builder.SslKey = value;
                    break;
                case DatabaseUrlParameters.ConnectTimeout:
                    builder.ConnectionTimeout = uint.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case DatabaseUrlParameters.Charset:
                    // only utf8mb4 (or utf8) gets past the parser, and MySqlConnector always talks utf8mb4
                    break;
                default:
                    throw new ArgumentException($"database URL parameter '{key}' is not one the MySQL engine reads", nameof(target));
            }
        }

        return builder.ConnectionString;
    }
}
