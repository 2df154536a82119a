using System.Globalization;
using Stepwise.Sql;

namespace Stepwise.Engines;

/// <summary>Parses database URLs into a <see cref="DatabaseTarget"/>.</summary>
/// <remarks>The credentials end at the last <c>@</c>, so a password written without percent-encoding may hold
/// <c>/</c>, <c>?</c>, <c>@</c>, <c>#</c> and <c>:</c>; only what follows that <c>@</c> is ever shown, in
/// errors or in <see cref="DatabaseTarget.Redacted"/>. In exchange an <c>@</c> in the database name or a
/// query value must be written <c>%40</c>.</remarks>
internal static class DatabaseUrl
{
    public static bool TryParse(string? url, out DatabaseTarget? target, out string error) => TryParse(url, serverOnly: false, out target, out error);

    /// <param name="url">The URL.</param>
    /// <param name="serverOnly">A URL that names no database gets the server's always-present one (PostgreSQL
    /// <c>postgres</c>, MySQL <c>information_schema</c>) instead of an error.</param>
    /// <param name="target">The parsed target.</param>
    /// <param name="error">Why it did not parse.</param>
    public static bool TryParse(string? url, bool serverOnly, out DatabaseTarget? target, out string error)
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
            return TryParseSqlite(url[(colon + 1)..], out target, out error);
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
                // the scheme only: whatever follows may be a password
                error = $"unknown database URL scheme '{(scheme.Length == 0 || scheme.Contains('@', StringComparison.Ordinal) ? "(none)" : scheme)}': use postgres://, mysql://, mariadb:// or sqlite:PATH";
                return false;
        }

        var rest = url[(colon + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            error = $"database URL must look like {scheme}://user:password@host:port/database";
            return false;
        }

        rest = rest[2..];
        string? user = null, password = null;
        var written = new List<string>();
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var uc = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(uc >= 0 ? userInfo[..uc] : userInfo);
            if (uc >= 0)
            {
                written.Add(userInfo[(uc + 1)..]);
                password = Uri.UnescapeDataString(userInfo[(uc + 1)..]);
            }

            if (user.Length == 0)
            {
                user = null;
            }
        }

        // from here on nothing is part of the password, so errors may quote it
        var query = string.Empty;
        var qi = rest.IndexOf('?', StringComparison.Ordinal);
        if (qi >= 0)
        {
            query = rest[(qi + 1)..];
            rest = rest[..qi];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostPort = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? Uri.UnescapeDataString(rest[(slash + 1)..]) : string.Empty;
        if (!TryParseHostPort(hostPort, defaultPort, out var host, out var port, out error))
        {
            return false;
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
            var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : string.Empty;
            var name = DatabaseUrlParameters.Canonical(dialect, key);
            if (name is null)
            {
                error = $"database URL parameter '{key}' is not supported for {Engine(dialect)} (supported: {DatabaseUrlParameters.Supported(dialect)})";
                return false;
            }

            if (!DatabaseUrlParameters.TryNormalize(dialect, name, value, out value, out error))
            {
                return false;
            }

            // later values win, and the query wins over the authority, as in libpq
            switch (name)
            {
                case DatabaseUrlParameters.Host or DatabaseUrlParameters.Socket:
                    host = value.Length > 0 ? value : host;
                    break;
                case DatabaseUrlParameters.Port:
                    port = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case DatabaseUrlParameters.User:
                    user = value;
                    break;
                case DatabaseUrlParameters.Password:
                    written.Add(eq >= 0 ? pair[(eq + 1)..] : string.Empty);
                    password = value;
                    break;
                case DatabaseUrlParameters.DatabaseName:
                    database = value;
                    break;
                default:
                    if (name == DatabaseUrlParameters.SslPassword && eq >= 0)
                    {
                        written.Add(pair[(eq + 1)..]);
                    }

                    parameters[name] = value;
                    break;
            }
        }

        if (host.Length == 0)
        {
            host = "localhost";
        }

        if (database.Length == 0 && serverOnly)
        {
            database = dialect == SqlDialect.PostgreSql ? "postgres" : "information_schema";
        }

        if (database.Length == 0)
        {
            error = "database URL names no database (…/dbname; an '@' in the database name or a parameter value is written %40)";
            return false;
        }

        target = new DatabaseTarget(dialect, host, port, database, user, password, parameters, null) { WrittenSecrets = written };
        return true;
    }

    /// <summary>The secrets of a URL that may not parse: the password after the first ':' of everything before
    /// the last '@', and the values of password= and sslpassword=, as written and decoded.</summary>
    public static IReadOnlyList<string> SecretsOf(string url)
    {
        var secrets = new List<string>();
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start >= 0 ? url[(start + 3)..] : url;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var uc = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (uc >= 0)
            {
                secrets.Add(userInfo[(uc + 1)..]);
            }

            rest = rest[(at + 1)..];
        }

        var qi = rest.IndexOf('?', StringComparison.Ordinal);
        foreach (var pair in qi >= 0 ? rest[(qi + 1)..].Split('&') : [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Uri.UnescapeDataString(pair[..eq]).ToLowerInvariant() is DatabaseUrlParameters.Password or DatabaseUrlParameters.SslPassword)
            {
                secrets.Add(pair[(eq + 1)..]);
            }
        }

        return secrets.Concat(secrets.Select(Uri.UnescapeDataString)).Where(s => s.Length > 0).ToList();
    }

    private static bool TryParseHostPort(string hostPort, int defaultPort, out string host, out int port, out string error)
    {
        host = hostPort;
        port = defaultPort;
        error = string.Empty;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < hostPort.Length && hostPort[close + 1] != ':'))
            {
                error = $"database URL host '{hostPort}' is not a bracketed IPv6 address like [::1]:5432";
                return false;
            }

            host = hostPort[1..close];
            portText = close + 1 < hostPort.Length ? hostPort[(close + 2)..] : null;
        }
        else if (hostPort.Contains(',', StringComparison.Ordinal))
        {
            error = $"database URL names several hosts ('{hostPort}'); Stepwise connects to one host";
            return false;
        }
        else
        {
            var pc = hostPort.IndexOf(':', StringComparison.Ordinal);
            if (pc >= 0 && hostPort.IndexOf(':', pc + 1) >= 0)
            {
                error = $"database URL host '{hostPort}' looks like an IPv6 address: write it in brackets, like [::1]:5432";
                return false;
            }

            if (pc >= 0)
            {
                host = hostPort[..pc];
                portText = hostPort[(pc + 1)..];
            }

            // %2Fpath (libpq's form for a Unix socket folder in the host part)
            host = Uri.UnescapeDataString(host);
        }

        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is <= 0 or > 65535))
        {
            error = "database URL has a port that is not a number from 1 to 65535";
            return false;
        }

        return true;
    }

    private static bool TryParseSqlite(string path, out DatabaseTarget? target, out string error)
    {
        target = null;
        error = string.Empty;
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        var q = path.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            var first = path[(q + 1)..].Split('&')[0];
            var eq = first.IndexOf('=', StringComparison.Ordinal);
            error = $"database URL parameter '{Uri.UnescapeDataString(eq >= 0 ? first[..eq] : first)}' is not supported for SQLite (sqlite: URLs take no parameters)";
            return false;
        }

        if (path.Length == 0)
        {
            error = "sqlite: URL names no file (use sqlite:path/to/db.sqlite)";
            return false;
        }

        target = new DatabaseTarget(SqlDialect.Sqlite, string.Empty, 0, path, null, null, new Dictionary<string, string>(), Uri.UnescapeDataString(path));
        return true;
    }

    private static string Engine(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? "PostgreSQL" : "MySQL/MariaDB";
}
