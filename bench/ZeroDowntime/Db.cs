using System.Data.Common;
using MySqlConnector;
using Npgsql;

namespace ZeroDowntime;

/// <summary>The engine-specific SQL of the workload: one table <c>accounts(id, name, qty)</c>; the rename case
/// renames <c>name</c> to <c>display_name</c>, the type case widens <c>qty</c> from integer to bigint.</summary>
internal sealed class Db(string engine, string connectionString)
{
    public bool IsPostgres { get; } = engine == "postgres";

    public async Task<DbConnection> OpenAsync()
    {
        DbConnection c = IsPostgres ? new NpgsqlConnection(connectionString) : new MySqlConnection(connectionString);
        await c.OpenAsync();
        return c;
    }

    public async Task ExecAsync(string sql, int timeoutSeconds = 0)
    {
        await using var c = await OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = timeoutSeconds;
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task SetupAsync(long rows)
    {
        await ExecAsync("DROP VIEW IF EXISTS accounts_old");
        foreach (var t in new[] { "accounts", "accounts_v2", "stepwise_migrations", "stepwise_backfills" })
        {
            await ExecAsync($"DROP TABLE IF EXISTS {t}");
        }

        if (IsPostgres)
        {
            await ExecAsync("CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(100) NOT NULL, qty integer NOT NULL)");
            await ExecAsync($"INSERT INTO accounts SELECT g, 'n' || g, (g % 1000)::int FROM generate_series(1, {rows}) g");
            await ExecAsync("VACUUM ANALYZE accounts");
        }
        else
        {
            await ExecAsync("CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(100) NOT NULL, qty integer NOT NULL) ENGINE=InnoDB");
            // MariaDB's sequence engine: seq_1_to_N
            for (long from = 1; from <= rows; from += 1_000_000)
            {
                var to = Math.Min(rows, from + 999_999);
                await ExecAsync($"INSERT INTO accounts SELECT seq, concat('n', seq), seq % 1000 FROM seq_{from}_to_{to}");
            }

            await ExecAsync("ANALYZE TABLE accounts");
        }
    }

    /// <summary>The plain migration, as a developer would write it.</summary>
    public string PlainSql(string @case) => (@case, IsPostgres) switch
    {
        ("rename", true) => "ALTER TABLE accounts RENAME COLUMN name TO display_name;",
        ("rename", false) => "ALTER TABLE accounts RENAME COLUMN name TO display_name;",
        ("type", true) => "ALTER TABLE accounts ALTER COLUMN qty TYPE bigint;",
        _ => "ALTER TABLE accounts MODIFY qty bigint NOT NULL;",
    };

    public static DbParameter Param(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
        return p;
    }
}
