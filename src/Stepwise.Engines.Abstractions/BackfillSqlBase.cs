using System.Data.Common;

namespace Stepwise.Engines;

/// <summary>What the three dialects share of <see cref="IBackfillSql"/>: row-value comparisons (all three have
/// them; SQLite since 3.15), ORDER BY lists and qualified names built from the dialect's quoting.</summary>
public abstract class BackfillSqlBase : IBackfillSql
{
    /// <inheritdoc/>
    public string CheckpointTable => "stepwise_backfills";

    /// <summary>The checkpoint columns added after the first release (nullable text; rows written before have
    /// NULL there): the table, SET and WHERE a name is bound to are checked when set_list is not NULL.</summary>
    public static IReadOnlyList<string> AddedCheckpointColumns { get; } = ["set_list", "where_clause"];

    /// <summary>The checkpoint table's columns and values for INSERT (the dialect adds updated_at).</summary>
    protected const string CheckpointColumns = "name, table_name, set_list, where_clause, state, last_key, end_key, rows_done, batches";

    /// <summary>The parameters of <see cref="CheckpointColumns"/>, in order.</summary>
    protected const string CheckpointValues = "@name, @table, @set, @where, @state, @last, @end, @rows, @batches";

    /// <inheritdoc/>
    public abstract string Quote(string identifier);

    /// <inheritdoc/>
    public string Table(string table)
    {
        var parts = table.Split('.');
        return string.Join('.', parts.Select(p => p.Length > 1 && (p[0] == '"' || p[0] == '`') ? p : Quote(p)));
    }

    /// <inheritdoc/>
    public virtual string Param(string name, KeyColumn column) => name;

    /// <inheritdoc/>
    public string RowCompare(IReadOnlyList<KeyColumn> key, string op, string prefix)
    {
        var columns = string.Join(", ", key.Select(k => Quote(k.Name)));
        var values = string.Join(", ", key.Select((k, i) => Param($"@{prefix}{i}", k)));
        return key.Count == 1 ? $"{columns} {op} {values}" : $"({columns}) {op} ({values})";
    }

    /// <inheritdoc/>
    public string OrderBy(IReadOnlyList<KeyColumn> key, bool descending = false) =>
        string.Join(", ", key.Select(k => Quote(k.Name) + (descending ? " DESC" : string.Empty)));

    /// <inheritdoc/>
    public abstract string? LockTimeout(TimeSpan timeout);

    /// <inheritdoc/>
    public abstract string CreateCheckpointTable();

    /// <inheritdoc/>
    public virtual string AddCheckpointColumn(string column) => $"ALTER TABLE {CheckpointTable} ADD COLUMN {Quote(column)} TEXT";

    /// <inheritdoc/>
    public abstract string InsertCheckpointIfAbsent();

    /// <inheritdoc/>
    public abstract string UpsertCheckpoint();

    /// <inheritdoc/>
    public virtual string ReadCheckpoint(string columns, bool forUpdate) =>
        $"SELECT {columns} FROM {CheckpointTable} WHERE name = @name{(forUpdate ? " FOR UPDATE" : string.Empty)}";

    /// <inheritdoc/>
    public abstract bool IsLockTimeout(DbException exception);

    /// <inheritdoc/>
    public virtual bool IsCreateRace(DbException exception) => false;

    /// <inheritdoc/>
    public abstract bool IsDuplicateColumn(DbException exception);

    /// <inheritdoc/>
    public abstract bool IsConnectionLost(Exception exception);
}
