using System.Globalization;
using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql;

/// <summary>Turns a parsed database URL into an Npgsql data source. The parser has already refused unknown
/// parameters and invalid values, so every parameter here maps onto one connection-string property.</summary>
internal static class PostgresDataSource
{
    public static NpgsqlDataSource Build(DatabaseTarget target)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            // a Host starting with '/' is the folder of the server's Unix socket (.s.PGSQL.<port>)
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
        var tls = false;
        foreach (var (key, value) in target.Parameters)
        {
            switch (key)
            {
                case DatabaseUrlParameters.Options:
                    builder.Options = value;
                    break;
                case DatabaseUrlParameters.SearchPath:
                    builder.SearchPath = value;
                    break;
                case DatabaseUrlParameters.ApplicationName:
                    builder.ApplicationName = value;
                    break;
                case DatabaseUrlParameters.SslMode:
                    builder.SslMode = value switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        _ => SslMode.VerifyFull,
                    };
                    tls |= value != "disable";
                    break;
                case DatabaseUrlParameters.SslRootCert:
                    builder.RootCertificate = value;
                    tls = true;
                    break;
                case DatabaseUrlParameters.SslCert:
                    builder.SslCertificate = value;
                    tls = true;
                    break;
                case DatabaseUrlParameters.SslKey:
                    builder.SslKey = value;
                    tls = true;
                    break;
                case DatabaseUrlParameters.SslPassword:
                    builder.SslPassword = value;
                    break;
                case DatabaseUrlParameters.ConnectTimeout:
                    // libpq's 0 waits forever, as Npgsql's does; Npgsql takes at most 1024 s
                    builder.Timeout = Math.Min(int.Parse(value, CultureInfo.InvariantCulture), 1024);
                    break;
                default:
                    throw new ArgumentException($"database URL parameter '{key}' is not one the PostgreSQL engine reads", nameof(target));
            }
        }

        // the slim builder leaves TLS out unless asked: without this, sslmode=require could not connect
        var dataSource = new NpgsqlSlimDataSourceBuilder(builder.ConnectionString);
        if (tls)
        {
            dataSource.EnableTransportSecurity();
        }

        return dataSource.Build();
    }
}
