using Npgsql;
using Stepwise.Engines;

namespace Stepwise.PostgreSql.Schema;

/// <summary>Creates and drops throwaway databases on the connected server (the session's login needs CREATEDB).</summary>
internal sealed class PostgresScratchDatabases(PostgresSession session) : IScratchDatabases
{
    public Task<DatabaseTarget> CreateAsync(string name, CancellationToken cancellationToken) => session.Run(async c =>
    {
        Check(name);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", c);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return session.Target with { Database = name };
    });

    public Task DropAsync(string name, CancellationToken cancellationToken) => session.Run(async c =>
    {
        Check(name);
        for (var attempt = 1; ; attempt++)
        {
            await using (var end = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", c))
            {
                end.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
                await end.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", c);
                await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (PostgresException ex) when (ex.SqlState == "55006" && attempt < 20)
            {
                // a terminated session had not gone yet
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    });

    private static void Check(string name)
    {
        if (name.Length is 0 or > 63 || name.Any(ch => ch is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')))
        {
            throw new ArgumentException($"'{name}' is not a scratch database name ([a-z0-9_], at most 63)", nameof(name));
        }
    }
}
