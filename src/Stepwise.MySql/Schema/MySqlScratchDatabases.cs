using MySqlConnector;
using Stepwise.Engines;

namespace Stepwise.MySql.Schema;

/// <summary>Creates and drops throwaway databases on the connected server (the login needs CREATE and DROP).</summary>
internal sealed class MySqlScratchDatabases(MySqlSession session) : IScratchDatabases
{
    public Task<DatabaseTarget> CreateAsync(string name, CancellationToken cancellationToken) => session.Run(async c =>
    {
        Check(name);
        await using var cmd = new MySqlCommand($"CREATE DATABASE `{name}`", c);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return session.Target with { Database = name };
    });

    public Task DropAsync(string name, CancellationToken cancellationToken) => session.Run(async c =>
    {
        Check(name);
        // other sessions on it first (a metadata lock they hold would make DROP wait)
        var ids = new List<long>();
        await using (var list = new MySqlCommand("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = @db AND ID <> CONNECTION_ID()", c))
        {
            list.Parameters.AddWithValue("@db", name);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        foreach (var id in ids)
        {
            try
            {
                await using var kill = new MySqlCommand($"KILL {id}", c);
                await kill.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MySqlException)
            {
                // gone already, or not ours to kill: DROP will say if it matters
            }
        }

        await using var drop = new MySqlCommand($"DROP DATABASE IF EXISTS `{name}`", c);
        await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    private static void Check(string name)
    {
        if (name.Length is 0 or > 64 || name.Any(ch => ch is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_')))
        {
            throw new ArgumentException($"'{name}' is not a scratch database name ([a-z0-9_], at most 64)", nameof(name));
        }
    }
}
