using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Stepwise.Engines;
using Stepwise.Sql;

namespace Stepwise.EntityFrameworkCore;

/// <summary>The Stepwise target (what an engine connects to) for an EF Core context's connection string.</summary>
internal static class EfConnectionTarget
{
    public static bool TryCreate(SqlDialect dialect, string? connectionString, out DatabaseTarget? target, out string error)
    {
        target = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "the context has no connection string: set MigrateSafelyOptions.ConnectionString";
            return false;
        }

        try
        {
            target = dialect switch
            {
                SqlDialect.PostgreSql => Postgres(connectionString, out error),
                SqlDialect.Sqlite => Sqlite(connectionString, out error),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            // the builders echo keywords, never values: still, say nothing of the string itself
            error = "the connection string cannot be read";
            return false;
        }

        if (target is null && error.Length == 0)
        {
            error = $"Stepwise applies EF Core migrations on PostgreSQL (Npgsql) and SQLite, not {dialect}";
        }

        return target is not null;
    }

    private static DatabaseTarget? Postgres(string connectionString, out string error)
    {
        error = string.Empty;
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var host = b.Host ?? "localhost";
        if (host.Contains(',', StringComparison.Ordinal))
        {
            error = "the connection string names several hosts: set MigrateSafelyOptions.ConnectionString to the primary";
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parameters[key] = value;
            }
        }

        Set(DatabaseUrlParameters.SearchPath, b.SearchPath);
        Set(DatabaseUrlParameters.Options, b.Options);
        Set(DatabaseUrlParameters.ApplicationName, b.ApplicationName);
        Set(DatabaseUrlParameters.SslRootCert, b.RootCertificate);
        Set(DatabaseUrlParameters.SslCert, b.SslCertificate);
        Set(DatabaseUrlParameters.SslKey, b.SslKey);
        Set(DatabaseUrlParameters.SslPassword, b.SslPassword);
        Set(DatabaseUrlParameters.ConnectTimeout, b.Timeout.ToString(CultureInfo.InvariantCulture));
        if (b.SslMode != SslMode.Prefer)
        {
            Set(DatabaseUrlParameters.SslMode, b.SslMode switch
            {
                SslMode.Disable => "disable",
                SslMode.Allow => "allow",
                SslMode.Require => "require",
                SslMode.VerifyCA => "verify-ca",
                _ => "verify-full",
            });
        }

        var database = b.Database ?? b.Username ?? "postgres";
        return new DatabaseTarget(SqlDialect.PostgreSql, host, b.Port, database, b.Username, b.Password, parameters, null);
    }

    private static DatabaseTarget? Sqlite(string connectionString, out string error)
    {
        error = string.Empty;
        var b = new SqliteConnectionStringBuilder(connectionString);
        if (b.Mode == SqliteOpenMode.Memory || b.DataSource.Length == 0 || b.DataSource == ":memory:")
        {
            error = "an in-memory SQLite database lives in one connection: Stepwise cannot lock and migrate it from its own (use EF's MigrateAsync)";
            return null;
        }

        var path = b.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(b.DataSource).LocalPath : b.DataSource;
        path = Path.GetFullPath(path.Replace("|DataDirectory|", AppDomain.CurrentDomain.GetData("DataDirectory") as string ?? AppContext.BaseDirectory, StringComparison.Ordinal));
        return new DatabaseTarget(SqlDialect.Sqlite, string.Empty, 0, path, null, null, new Dictionary<string, string>(), path);
    }
}
