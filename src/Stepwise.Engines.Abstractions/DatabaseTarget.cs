using System.Text;
using Stepwise.Sql;

namespace Stepwise.Engines;

/// <summary>A parsed --database URL. <see cref="Redacted"/> is the only form that may be printed.</summary>
public sealed record DatabaseTarget(SqlDialect Dialect, string Host, int Port, string Database, string? User, string? Password, IReadOnlyDictionary<string, string> Parameters, string? FilePath)
{
    /// <summary>The URL with the password replaced by ***: safe for logs, errors and JSON.</summary>
    public string Redacted => Dialect == SqlDialect.Sqlite
        ? "sqlite:" + FilePath
        : $"{(Dialect == SqlDialect.PostgreSql ? "postgres" : "mysql")}://{(User is null ? string.Empty : Uri.EscapeDataString(User) + (Password is null ? string.Empty : ":***") + "@")}{Host}:{Port}/{Database}";

    /// <summary>Parses postgres://, postgresql://, mysql://, mariadb:// and sqlite:PATH (also sqlite://PATH,
    /// sqlite3:PATH). Errors never contain the password.</summary>
    public static bool TryParse(string? url, out DatabaseTarget? target, out string error)
    {
        target = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(url))
        {
            error = "no database given: pass --database URL or set DATABASE_URL (postgres://…, mysql://…, sqlite:PATH)";
            return false;
        }

        url = url.Trim();
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon > 0 ? url[..colon].ToLowerInvariant() : string.Empty;
        if (scheme is "sqlite" or "sqlite3" or "file")
        {
            var path = url[(colon + 1)..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            var q = path.IndexOf('?', StringComparison.Ordinal);
            if (q >= 0)
            {
                path = path[..q];
            }

            if (path.Length == 0)
            {
                error = "sqlite: URL names no file (use sqlite:path/to/db.sqlite)";
                return false;
            }

            target = new DatabaseTarget(SqlDialect.Sqlite, string.Empty, 0, path, null, null, new Dictionary<string, string>(), Uri.UnescapeDataString(path));
            return true;
        }

        SqlDialect dialect;
        int defaultPort;
        switch (scheme)
        {
            case "postgres" or "postgresql" or "pgsql":
                dialect = SqlDialect.PostgreSql;
                defaultPort = 5432;
                break;
            case "mysql" or "mariadb":
                dialect = SqlDialect.MySql;
                defaultPort = 3306;
                break;
            default:
                error = $"unknown database URL scheme '{(scheme.Length == 0 ? "(none)" : scheme)}': use postgres://, mysql://, mariadb:// or sqlite:PATH";
                return false;
        }

        var rest = url[(colon + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            error = $"database URL must look like {scheme}://user:password@host:port/database";
            return false;
        }

        rest = rest[2..];
        var query = string.Empty;
        var qi = rest.IndexOf('?', StringComparison.Ordinal);
        if (qi >= 0)
        {
            query = rest[(qi + 1)..];
            rest = rest[..qi];
        }

        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var uc = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(uc >= 0 ? userInfo[..uc] : userInfo);
            password = uc >= 0 ? Uri.UnescapeDataString(userInfo[(uc + 1)..]) : null;
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPort = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : string.Empty;
        var host = hostPort;
        var port = defaultPort;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            host = close > 0 ? hostPort[1..close] : hostPort;
            if (close > 0 && close + 1 < hostPort.Length && hostPort[close + 1] == ':' && !int.TryParse(hostPort[(close + 2)..], out port))
            {
                error = "database URL has a port that is not a number";
                return false;
            }
        }
        else
        {
            var pc = hostPort.LastIndexOf(':');
            if (pc >= 0)
            {
                host = hostPort[..pc];
                if (!int.TryParse(hostPort[(pc + 1)..], out port) || port is <= 0 or > 65535)
                {
                    error = "database URL has a port that is not a number from 1 to 65535";
                    return false;
                }
            }
        }

        if (host.Length == 0)
        {
            host = "localhost";
        }

        if (database.Length == 0)
        {
            error = "database URL names no database (…/dbname)";
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            parameters[Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair)] = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : string.Empty;
        }

        target = new DatabaseTarget(dialect, host, port, database, user, password, parameters, null);
        return true;
    }

    /// <summary>Removes the password of any URL-looking text from a message (driver errors can echo it).</summary>
    public string Scrub(string message)
    {
        if (string.IsNullOrEmpty(Password))
        {
            return message;
        }

        var sb = new StringBuilder(message);
        sb.Replace(Password, "***");
        sb.Replace(Uri.EscapeDataString(Password), "***");
        return sb.ToString();
    }

    public override string ToString() => Redacted;
}
