using System.Data.Common;

namespace Stepwise.Engines;

/// <summary>
/// What the three journal stores share: create the table from <see cref="JournalSchema"/>, upgrade an older one in
/// place (add the columns it lacks), read rows (columns a not-yet-upgraded journal lacks read as their defaults),
/// write and delete. An engine supplies its SQL types, defaults, clock, parameter marker and the way it runs a call.
/// </summary>
public abstract class JournalStoreBase : IJournalStore
{
    /// <summary>The journal table's name.</summary>
    protected const string Table = JournalSchema.Table;

    /// <summary>The engine's SQL type for a column (<paramref name="key"/>: the primary key).</summary>
    protected abstract string SqlType(JournalColumn column, bool key);

    /// <summary>The SQL of a column's default (the clock for <see cref="JournalDefault.Now"/>).</summary>
    protected abstract string DefaultSql(JournalColumn column);

    /// <summary>The SQL for "now" in an INSERT.</summary>
    protected abstract string NowSql { get; }

    /// <summary>The parameter marker: '$' or '@'.</summary>
    protected abstract char ParameterMarker { get; }

    /// <summary>A query returning the journal table's column names (no rows: there is no table).</summary>
    protected abstract string ColumnsQuery { get; }

    /// <summary>Options after the column list of CREATE TABLE (MySQL: engine and charset).</summary>
    protected virtual string TableOptions => string.Empty;

    /// <summary>Reads a timestamp column (drivers differ).</summary>
    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>The conflict clause that turns the INSERT into an upsert.</summary>
    protected abstract string UpsertClause { get; }

    /// <summary>Runs a journal call on the working session, translating driver failures into <see cref="EngineException"/>.</summary>
    protected abstract Task<T> RunAsync<T>(Func<DbConnection, Task<T>> action);

    /// <summary>A column's definition in CREATE TABLE / ALTER TABLE ADD COLUMN.</summary>
    protected virtual string Definition(JournalColumn c, bool key) =>
        $"{c.Name} {SqlType(c, key)}{(key ? " NOT NULL PRIMARY KEY" : c.Nullable ? string.Empty : " NOT NULL")}{(c.Default == JournalDefault.None ? string.Empty : " DEFAULT " + DefaultSql(c))}";

    /// <summary>ALTER TABLE … ADD COLUMN for a column an older journal lacks.</summary>
    protected virtual string AddColumnSql(JournalColumn c) => $"ALTER TABLE {Table} ADD COLUMN {Definition(c, false)}";

    /// <summary>CREATE TABLE IF NOT EXISTS with every column.</summary>
    protected string CreateSql => $"CREATE TABLE IF NOT EXISTS {Table} (\n  " + string.Join(",\n  ", JournalSchema.Columns.Select((c, i) => Definition(c, i == 0))) + $"\n){TableOptions}";

    /// <summary>The upsert of one row; parameters as <see cref="JournalSchema.AddParameters"/> names them.</summary>
    protected string UpsertSql =>
        $"INSERT INTO {Table} ({JournalSchema.ColumnList}) VALUES ({string.Join(", ", JournalSchema.Columns.Select((c, i) => c.Type == JournalColumnType.Timestamp ? NowSql : $"{ParameterMarker}p{i}"))}) {UpsertClause}";

    /// <summary>The delete of one version's row (parameter <c>{marker}v</c>).</summary>
    protected string DeleteSql => $"DELETE FROM {Table} WHERE version = {ParameterMarker}v";

    /// <inheritdoc/>
    public Task<int> EnsureAsync(CancellationToken cancellationToken) => RunAsync(async c =>
    {
        var existing = await ColumnsAsync(c, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            await ExecuteAsync(c, CreateSql, cancellationToken).ConfigureAwait(false);
            return 0;
        }

        // a journal written by an earlier release: add what it lacks; its rows get the defaults
        foreach (var column in JournalSchema.Columns.Where(col => !existing.Contains(col.Name)))
        {
            await ExecuteAsync(c, AddColumnSql(column), cancellationToken).ConfigureAwait(false);
        }

        return JournalSchema.VersionOf(existing);
    });

    /// <inheritdoc/>
    public Task<IReadOnlyList<JournalEntry>> ReadAsync(CancellationToken cancellationToken) => RunAsync<IReadOnlyList<JournalEntry>>(async c =>
    {
        var existing = await ColumnsAsync(c, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            return [];
        }

        // columns a not-yet-upgraded journal lacks read as their defaults (status and dry runs do not upgrade)
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {string.Join(", ", JournalSchema.Columns.Select(col => existing.Contains(col.Name) ? col.Name : DefaultSql(col)))} FROM {Table} ORDER BY version";
        return await JournalSchema.ReadAllAsync(cmd, ReadTime, cancellationToken).ConfigureAwait(false);
    });

    /// <inheritdoc/>
    public Task WriteAsync(JournalEntry entry, CancellationToken cancellationToken) => RunAsync(async c =>
    {
        await using var cmd = Command(c, JournalChange.Record(entry), null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    /// <inheritdoc/>
    public Task DeleteAsync(string version, CancellationToken cancellationToken) => RunAsync(async c =>
    {
        await using var cmd = Command(c, JournalChange.Remove(version), null);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return true;
    });

    /// <summary>The command for a journal change, on the given transaction (or none).</summary>
    public DbCommand Command(DbConnection connection, JournalChange change, DbTransaction? transaction)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        if (change.Write is not { } entry)
        {
            cmd.CommandText = DeleteSql;
            var p = cmd.CreateParameter();
            p.ParameterName = ParameterMarker + "v";
            p.Value = change.DeleteVersion;
            cmd.Parameters.Add(p);
            return cmd;
        }

        cmd.CommandText = UpsertSql;
        JournalSchema.AddParameters(cmd, entry, ParameterMarker);
        return cmd;
    }

    private async Task<HashSet<string>> ColumnsAsync(DbConnection c, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = ColumnsQuery;
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            set.Add(reader.GetString(0));
        }

        return set;
    }

    private static async Task ExecuteAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
