namespace Stepwise.Sql;

/// <summary>The SQL dialects Stepwise reads. MySQL covers MariaDB.</summary>
public enum SqlDialect
{
    /// <summary>PostgreSQL.</summary>
    PostgreSql,

    /// <summary>MySQL and MariaDB.</summary>
    MySql,

    /// <summary>SQLite.</summary>
    Sqlite,
}

/// <summary>The user-facing names of <see cref="SqlDialect"/> values.</summary>
public static class SqlDialects
{
    /// <summary>Parses a user-facing dialect name (postgres, postgresql, pg, mysql, mariadb, sqlite).</summary>
    public static bool TryParse(string? name, out SqlDialect dialect)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "postgres" or "postgresql" or "pg":
                dialect = SqlDialect.PostgreSql;
                return true;
            case "mysql" or "mariadb":
                dialect = SqlDialect.MySql;
                return true;
            case "sqlite" or "sqlite3":
                dialect = SqlDialect.Sqlite;
                return true;
            default:
                dialect = SqlDialect.PostgreSql;
                return false;
        }
    }

    /// <summary>The dialect's canonical name: postgres, mysql or sqlite.</summary>
    public static string Name(this SqlDialect dialect) => dialect switch
    {
        SqlDialect.PostgreSql => "postgres",
        SqlDialect.MySql => "mysql",
        SqlDialect.Sqlite => "sqlite",
        _ => "postgres",
    };
}
