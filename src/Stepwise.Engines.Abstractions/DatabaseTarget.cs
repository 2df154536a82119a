using System.Text;
using Stepwise.Sql;

namespace Stepwise.Engines;

/// <summary>A parsed --database URL. <see cref="Redacted"/> is the only form that may be printed.</summary>
/// <remarks><see cref="Host"/> is a host name, an IP address (IPv6 without brackets) or, when it starts with
/// <c>/</c>, a Unix socket: PostgreSQL's socket folder, MySQL's socket file. <see cref="Parameters"/> holds the
/// other query parameters under their canonical names (<see cref="DatabaseUrlParameters"/>), already checked,
/// so an engine only maps them onto its driver's connection string.</remarks>
public sealed record DatabaseTarget(SqlDialect Dialect, string Host, int Port, string Database, string? User, string? Password, IReadOnlyDictionary<string, string> Parameters, string? FilePath)
{
    /// <summary>Secrets as they were written in the URL (possibly partly percent-encoded), for <see cref="Scrub"/>.</summary>
    internal IReadOnlyList<string> WrittenSecrets { get; init; } = [];

    /// <summary>True when <see cref="Host"/> is a Unix socket (folder for PostgreSQL, file for MySQL).</summary>
    public bool IsUnixSocket => Host.StartsWith('/');

    /// <summary>The URL with the password replaced by ***: safe for logs, errors and JSON. An IPv6 host is
    /// shown in brackets, a Unix socket as the query parameter that names it.</summary>
    public string Redacted
    {
        get
        {
            if (Dialect == SqlDialect.Sqlite)
            {
                return "sqlite:" + FilePath;
            }

            var scheme = Dialect == SqlDialect.PostgreSql ? "postgres" : "mysql";
            var credentials = (User is null ? string.Empty : Uri.EscapeDataString(User)) + (Password is null ? string.Empty : ":***");
            var login = credentials.Length == 0 ? string.Empty : credentials + "@";
            if (IsUnixSocket)
            {
                return Dialect == SqlDialect.PostgreSql
                    ? $"{scheme}://{login}/{Database}?host={Host}&port={Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                    : $"{scheme}://{login}/{Database}?socket={Host}";
            }

            var host = Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host;
            return $"{scheme}://{login}{host}:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Database}";
        }
    }

    /// <summary>Parses postgres://, postgresql://, mysql://, mariadb:// and sqlite:PATH (also sqlite://PATH,
    /// sqlite3:PATH). A query parameter the engine does not support, or a value it does not accept, is an
    /// error naming it. Errors never contain the password.</summary>
    public static bool TryParse(string? url, out DatabaseTarget? target, out string error) =>
        DatabaseUrl.TryParse(url, out target, out error);

    /// <summary>As <see cref="TryParse"/>, for a URL that names a server rather than a database (<c>--scratch</c>):
    /// without a database it logs in to the one every server has (PostgreSQL <c>postgres</c>, MySQL/MariaDB
    /// <c>information_schema</c>).</summary>
    /// <param name="url">The URL.</param>
    /// <param name="target">The parsed target.</param>
    /// <param name="error">Why it did not parse (never containing the password).</param>
    public static bool TryParseServer(string? url, out DatabaseTarget? target, out string error) =>
        DatabaseUrl.TryParse(url, serverOnly: true, out target, out error);

    /// <summary>Removes the password (and the TLS key password) from a message: as parsed, as written in the
    /// URL and percent-encoded (driver errors and argument parsers can echo any of them).</summary>
    public string Scrub(string message)
    {
        var secrets = new List<string>(WrittenSecrets);
        if (!string.IsNullOrEmpty(Password))
        {
            secrets.Add(Password);
        }

        if (Parameters.TryGetValue(DatabaseUrlParameters.SslPassword, out var keyPassword))
        {
            secrets.Add(keyPassword);
        }

        return Replace(message, secrets);
    }

    /// <summary>As <see cref="Scrub"/>, for any text that looks like a database URL, even one that does not
    /// parse (a command-line parser echoing a stray argument).</summary>
    public static string ScrubSecrets(string message, string url) => Replace(message, DatabaseUrl.SecretsOf(url));

    private static string Replace(string message, IEnumerable<string> secrets)
    {
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                all.Add(secret);
                all.Add(Uri.EscapeDataString(secret));
            }
        }

        if (all.Count == 0)
        {
            return message;
        }

        // longest first, so that a secret containing another is replaced whole
        var sb = new StringBuilder(message);
        foreach (var secret in all.OrderByDescending(s => s.Length))
        {
            sb.Replace(secret, "***");
        }

        return sb.ToString();
    }

    /// <summary>The redacted URL: a target printed by accident shows no password.</summary>
    public override string ToString() => Redacted;
}
