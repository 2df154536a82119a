using System.Globalization;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>A postgres:// URL as an Npgsql connection string.</summary>
internal static class PostgresConnectionString
{
    public static string Build(DatabaseTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = target.Host,
            Port = target.Port,
            Database = target.Database,
            Username = target.User,
            Password = target.Password,
            ApplicationName = "stepwise",
            Timeout = 15,
            CommandTimeout = 0,
            Pooling = false,
            IncludeErrorDetail = true,
        };
        foreach (var (key, value) in target.Parameters)
        {
            if (string.Equals(key, "sslmode", StringComparison.OrdinalIgnoreCase) && Enum.TryParse<SslMode>(value, ignoreCase: true, out var ssl))
            {
                builder.SslMode = ssl;
            }
            else if (string.Equals(key, "connect_timeout", StringComparison.OrdinalIgnoreCase) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var t))
            {
                builder.Timeout = t;
            }
        }

        return builder.ConnectionString;
    }
}
