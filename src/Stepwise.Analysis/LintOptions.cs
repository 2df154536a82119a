using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis;

/// <summary>What the linter targets and which rules it runs at which severity.</summary>
public sealed record LintOptions
{
    /// <summary>The dialect the migrations are written in (default PostgreSQL).</summary>
    public SqlDialect Dialect { get; init; } = SqlDialect.PostgreSql;

    /// <summary>PostgreSQL major version (default 15).</summary>
    public int PgVersion { get; init; } = 15;

    /// <summary>MySQL/MariaDB target: "8.0" (MySQL) by default; "mariadb-10.11" style for MariaDB.</summary>
    public MySqlTarget MySql { get; init; } = MySqlTarget.Default;

    /// <summary>Per-rule overrides: null severity turns a rule off.</summary>
    public IReadOnlyDictionary<string, Severity?> RuleSeverities { get; init; } = new Dictionary<string, Severity?>(StringComparer.Ordinal);

    /// <summary>`[[ignore]]` entries of stepwise.toml: suppressions kept outside the migration files.</summary>
    public IReadOnlyList<Configuration.FileSuppression> FileSuppressions { get; init; } = [];
}

/// <summary>A MySQL-family server version.</summary>
/// <param name="MariaDb">The server is MariaDB rather than MySQL.</param>
/// <param name="Version">The server version.</param>
public sealed record MySqlTarget(bool MariaDb, Version Version)
{
    /// <summary>MySQL 8.0.35.</summary>
    public static readonly MySqlTarget Default = new(false, new Version(8, 0, 35));

    /// <summary>MySQL 8.0.29+ and MariaDB 10.4+ add columns INSTANT at any position.</summary>
    public bool InstantAddColumn => MariaDb ? Version >= new Version(10, 4) : Version >= new Version(8, 0, 29);

    /// <summary>Parses "8.0", "8.0.35", "mysql-8.0", "mariadb-10.11", "10.11-mariadb".</summary>
    public static bool TryParse(string? text, out MySqlTarget target)
    {
        target = Default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().ToLowerInvariant();
        var maria = t.Contains("maria", StringComparison.Ordinal);
        var digits = new string(t.Where(ch => char.IsAsciiDigit(ch) || ch == '.').ToArray()).Trim('.');
        if (!Version.TryParse(digits.Contains('.', StringComparison.Ordinal) ? digits : digits + ".0", out var v))
        {
            return false;
        }

        // MariaDB's versions start at 10; a bare 10.x or 11.x means MariaDB
        maria |= v.Major >= 10;
        target = new MySqlTarget(maria, v);
        return true;
    }

    /// <summary>"MySQL 8.0.35" or "MariaDB 10.11", for messages.</summary>
    public override string ToString() => (MariaDb ? "MariaDB " : "MySQL ") + Version;
}
