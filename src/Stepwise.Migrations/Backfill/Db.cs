using System.Data.Common;

namespace Stepwise.Migrations.Backfill;

/// <summary>The few ADO.NET calls the backfill makes, with values always bound as parameters.</summary>
internal static class Db
{
    public static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    /// <summary>A key's values as parameters <c>@{prefix}0 … @{prefix}N</c>, each of the type it was read as.</summary>
    public static IEnumerable<(string Name, object Value)> Parameters(BackfillKey? key, string prefix) =>
        key is null ? [] : key.Values.Select((v, i) => ($"@{prefix}{i}", v));

    public static async Task<int> ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct, IEnumerable<(string Name, object Value)>? parameters = null)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters ?? [])
        {
            Add(cmd, name, value);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The key of the first row the query returns, or null.</summary>
    public static async Task<BackfillKey?> KeyAsync(DbConnection connection, DbTransaction? tx, string sql, IEnumerable<(string Name, object Value)> parameters, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        foreach (var (name, value) in parameters)
        {
            Add(cmd, name, value);
        }

        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? BackfillKey.Read(reader) : null;
    }
}
