using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql;

/// <summary>A mysql:// URL as a MySqlConnector connection string.</summary>
internal static class MySqlConnectionString
{
    public static string Build(DatabaseTarget target)
    {
        var builder = new MySqlConnectionStringBuilder
        {
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
        if (target.Parameters.TryGetValue("ssl-mode", out var ssl) || target.Parameters.TryGetValue("sslmode", out ssl))
        {
            if (Enum.TryParse<MySqlSslMode>(ssl, ignoreCase: true, out var mode))
            {
                builder.SslMode = mode;
            }
        }

        return builder.ConnectionString;
    }
}
