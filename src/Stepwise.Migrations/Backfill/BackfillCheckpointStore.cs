using System.Data.Common;
using System.Globalization;
using Stepwise.Engines;

namespace Stepwise.Migrations.Backfill;

/// <summary>
/// The checkpoint table (<see cref="IBackfillSql.CheckpointTable"/>): created with every column, upgraded in
/// place (columns added by later releases; rows written before have NULL there), and its rows read by column
/// name so a table of any release reads. All SQL comes from the dialect.
/// </summary>
internal static class BackfillCheckpointStore
{
    /// <summary>Creates the table, or adds the columns this release needs to an existing one.</summary>
    public static async Task EnsureTableAsync(DbConnection connection, IBackfillSql sql, CancellationToken ct)
    {
        try
        {
            await Db.ExecAsync(connection, null, sql.CreateCheckpointTable(), ct).ConfigureAwait(false);
        }
        catch (DbException ex) when (sql.IsCreateRace(ex))
        {
            // CREATE TABLE IF NOT EXISTS raced with another run's (PostgreSQL): the table is there
        }

        var present = await ColumnsAsync(connection, sql, ct).ConfigureAwait(false);
        foreach (var column in BackfillSqlBase.AddedCheckpointColumns.Where(c => !present.Contains(c)))
        {
            try
            {
                await Db.ExecAsync(connection, null, sql.AddCheckpointColumn(column), ct).ConfigureAwait(false);
            }
            catch (DbException ex) when (sql.IsDuplicateColumn(ex))
            {
                // another run added it a moment ago
            }
        }
    }

    /// <summary>The checkpoint of that name, or null.</summary>
    public static async Task<BackfillCheckpoint?> ReadAsync(DbConnection connection, IBackfillSql sql, string name, CancellationToken ct, DbTransaction? tx = null, bool forUpdate = false)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql.ReadCheckpoint("*", forUpdate);
        Db.Add(cmd, "@name", name);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var columns = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.OrdinalIgnoreCase);
        string? Text(string column) => columns.TryGetValue(column, out var i) && !reader.IsDBNull(i) ? Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) : null;
        long Number(string column) => columns.TryGetValue(column, out var i) && !reader.IsDBNull(i) ? Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture) : 0;
        return new BackfillCheckpoint(
            name,
            Text("table_name") ?? string.Empty,
            Text("state") == "done" ? BackfillState.Done : BackfillState.Running,
            Text("last_key") is { } last ? BackfillKey.Decode(last) : null,
            Text("end_key") is { } end ? BackfillKey.Decode(end) : null,
            Number("rows_done"),
            Number("batches"))
        {
            Set = Text("set_list"),
            Where = Text("where_clause"),
        };
    }

    /// <summary>Writes a checkpoint (in the batch's transaction); with <paramref name="ifAbsent"/> only when none of that name exists.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction? tx, IBackfillSql sql, BackfillCheckpoint c, CancellationToken ct, bool ifAbsent = false)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = ifAbsent ? sql.InsertCheckpointIfAbsent() : sql.UpsertCheckpoint();
        Db.Add(cmd, "@name", c.Name);
        Db.Add(cmd, "@table", c.Table);
        Db.Add(cmd, "@set", c.Set);
        Db.Add(cmd, "@where", c.Where);
        Db.Add(cmd, "@state", c.State == BackfillState.Done ? "done" : "running");
        Db.Add(cmd, "@last", c.LastKey?.Encoded);
        Db.Add(cmd, "@end", c.EndKey?.Encoded);
        Db.Add(cmd, "@rows", c.RowsDone);
        Db.Add(cmd, "@batches", c.Batches);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the checkpoint of that name.</summary>
    public static async Task DeleteAsync(DbConnection connection, IBackfillSql sql, string name, CancellationToken ct)
    {
        await EnsureTableAsync(connection, sql, ct).ConfigureAwait(false);
        await Db.ExecAsync(connection, null, $"DELETE FROM {sql.CheckpointTable} WHERE name = @name", ct, [("@name", name)]).ConfigureAwait(false);
    }

    /// <summary>Why a run of <paramref name="spec"/> must not use this checkpoint (another table, SET or WHERE
    /// under the same name), or null. A checkpoint of the previous release records no SET: only its table is checked.</summary>
    public static string? Mismatch(BackfillCheckpoint checkpoint, BackfillSpec spec)
    {
        string Clash(string what, string? stored, string? given) =>
            $"a backfill named {spec.Name} already exists with {what} {Show(stored)}, not {Show(given)}; choose another --name";
        if (!string.Equals(checkpoint.Table, spec.Table, StringComparison.Ordinal))
        {
            return Clash("table", checkpoint.Table, spec.Table);
        }

        if (checkpoint.Set is null)
        {
            return null;
        }

        if (!string.Equals(checkpoint.Set, SetOf(spec), StringComparison.Ordinal))
        {
            return Clash("SET", checkpoint.Set, SetOf(spec));
        }

        return string.Equals(checkpoint.Where, WhereOf(spec), StringComparison.Ordinal) ? null : Clash("WHERE", checkpoint.Where, WhereOf(spec));
    }

    /// <summary>The SET list as recorded.</summary>
    public static string SetOf(BackfillSpec spec) => spec.Set.Trim();

    /// <summary>The WHERE predicate as recorded (null: none).</summary>
    public static string? WhereOf(BackfillSpec spec) => string.IsNullOrWhiteSpace(spec.Where) ? null : spec.Where.Trim();

    private static string Show(string? clause) => clause is null ? "none" : $"`{clause}`";

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, IBackfillSql sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql.ReadCheckpoint("*", forUpdate: false);
        Db.Add(cmd, "@name", string.Empty);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}
