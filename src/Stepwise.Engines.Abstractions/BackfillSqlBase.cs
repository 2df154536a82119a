using System.Data.Common;

namespace Stepwise.Engines;

/// <summary>What the three dialects share of <see cref="IBackfillSql"/>: row-value comparisons (all three have
/// them; SQLite since 3.15), ORDER BY lists and qualified names built from the dialect's quoting.</summary>
public abstract class BackfillSqlBase : IBackfillSql
{
    /// <inheritdoc/>
    public string CheckpointTable => "stepwise_backfills";

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
    public abstract bool IsConnectionLost(Exception exception);
}
