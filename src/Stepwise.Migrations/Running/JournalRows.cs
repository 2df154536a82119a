using System.Data.Common;

namespace Stepwise.Migrations.Running;

/// <summary>The journal row as the engines read and write it: the column list, the row mapping and the
/// parameters are the same on every database; only the SQL around them (upsert, timestamps) differs.</summary>
public static class JournalRows
{
    /// <summary>The columns of <c>stepwise_migrations</c> in the order <see cref="ReadAllAsync"/> maps them.</summary>
    public const string Columns = "version, name, checksum, state, applied_at, duration_ms, applied_by, statements_done, failed_statement_index, failed_statement, error";

    /// <summary>Runs a <c>SELECT {Columns} …</c> and maps every row; <paramref name="appliedAt"/> reads column 4
    /// (a timestamp's type differs by driver).</summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(DbCommand select, Func<DbDataReader, DateTimeOffset> appliedAt, CancellationToken ct)
    {
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var list = new List<JournalEntry>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(Map(reader, appliedAt));
        }

        return list;
    }

    /// <summary>One row; a value the runner cannot read makes the journal corrupt (typed, so no caller mistakes
    /// it for a lost connection or guesses a state).</summary>
    private static JournalEntry Map(DbDataReader reader, Func<DbDataReader, DateTimeOffset> appliedAt)
    {
        string? version = null;
        try
        {
            version = reader.GetString(0);
            return new JournalEntry
            {
                Version = version,
                Name = reader.GetString(1),
                Checksum = reader.GetString(2),
                State = JournalEntry.ParseState(reader.GetString(3)),
                AppliedAt = appliedAt(reader),
                DurationMs = reader.GetInt64(5),
                AppliedBy = reader.GetString(6),
                StatementsDone = reader.GetInt32(7),
                FailedStatementIndex = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                FailedStatement = reader.IsDBNull(9) ? null : reader.GetString(9),
                Error = reader.IsDBNull(10) ? null : reader.GetString(10),
            };
        }
        catch (Exception ex) when (ex is CorruptJournalException or InvalidCastException or InvalidOperationException or FormatException or OverflowException)
        {
            var row = version is null ? "a row" : $"the row of version {version}";
            throw new CorruptJournalException($"the journal (stepwise_migrations) is corrupt: {row}: {ex.Message}", ex) { Version = version };
        }
    }

    /// <summary>Adds the entry's values as named parameters {marker}v, n, c, s, d, by, done, fi, fs, err
    /// (marker '@' for MySQL, '$' for SQLite).</summary>
    public static void AddParameters(DbCommand cmd, JournalEntry e, char marker)
    {
        void Add(string name, object? value)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = marker + name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        Add("v", e.Version);
        Add("n", e.Name);
        Add("c", e.Checksum);
        Add("s", JournalEntry.StateName(e.State));
        Add("d", e.DurationMs);
        Add("by", e.AppliedBy);
        Add("done", e.StatementsDone);
        Add("fi", e.FailedStatementIndex);
        Add("fs", e.FailedStatement);
        Add("err", e.Error);
    }
}
