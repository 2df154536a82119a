using System.Data.Common;

namespace Stepwise.Engines;

/// <summary>The logical type of a journal column; each engine maps it to its own SQL type.</summary>
public enum JournalColumnType
{
    /// <summary>Text of any length (the key column is limited where the database needs it).</summary>
    Text,

    /// <summary>A 32-bit integer.</summary>
    Integer,

    /// <summary>A 64-bit integer.</summary>
    BigInt,

    /// <summary>A point in time (UTC).</summary>
    Timestamp,
}

/// <summary>A column's default for rows written before the column existed.</summary>
public enum JournalDefault
{
    /// <summary>No default: NULL (the column must be nullable).</summary>
    None,

    /// <summary>0.</summary>
    Zero,

    /// <summary>The empty string.</summary>
    Empty,

    /// <summary>The current time.</summary>
    Now,
}

/// <summary>One column of the journal table: its name, type, default, the schema version that added it, and how
/// it maps to <see cref="JournalEntry"/>.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Its logical type.</param>
/// <param name="Nullable">Whether it may be NULL.</param>
/// <param name="Default">Its default (what rows written before the column existed get).</param>
/// <param name="Since">The journal schema version that added it (1: the first).</param>
/// <param name="Get">Its value for a row to write (null: NULL).</param>
/// <param name="Set">Puts a read value (never DBNull: null) into a row.</param>
public sealed record JournalColumn(string Name, JournalColumnType Type, bool Nullable, JournalDefault Default, int Since, Func<JournalEntry, object?> Get, Func<JournalEntry, object?, JournalEntry> Set);

/// <summary>
/// The journal table as data, so that engines create it, upgrade it in place and map its rows from one list.
/// Adding a column is one line in <see cref="Columns"/> (plus its property on <see cref="JournalEntry"/>): every
/// engine then creates it on a new database and adds it to an existing journal, whose rows get its default.
/// </summary>
public static class JournalSchema
{
    /// <summary>The journal table's name.</summary>
    public const string Table = "stepwise_migrations";

    /// <summary>The columns in table order; the first is the primary key.</summary>
    public static readonly IReadOnlyList<JournalColumn> Columns =
    [
        new("version", JournalColumnType.Text, false, JournalDefault.None, 1, e => e.Version, (e, v) => e with { Version = (string)v! }),
        new("name", JournalColumnType.Text, false, JournalDefault.None, 1, e => e.Name, (e, v) => e with { Name = (string)v! }),
        new("checksum", JournalColumnType.Text, false, JournalDefault.None, 1, e => e.Checksum, (e, v) => e with { Checksum = (string)v! }),
        new("state", JournalColumnType.Text, false, JournalDefault.None, 1, e => JournalEntry.StateName(e.State), ReadState),
        new("applied_at", JournalColumnType.Timestamp, false, JournalDefault.Now, 1, _ => null, (e, v) => e with { AppliedAt = AsTime(v) }),
        new("duration_ms", JournalColumnType.BigInt, false, JournalDefault.Zero, 1, e => e.DurationMs, (e, v) => e with { DurationMs = Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) }),
        new("applied_by", JournalColumnType.Text, false, JournalDefault.Empty, 1, e => e.AppliedBy, (e, v) => e with { AppliedBy = (string)v! }),
        new("statements_done", JournalColumnType.Integer, false, JournalDefault.Zero, 1, e => e.StatementsDone, (e, v) => e with { StatementsDone = Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) }),
        new("failed_statement_index", JournalColumnType.Integer, true, JournalDefault.None, 1, e => e.FailedStatementIndex, (e, v) => e with { FailedStatementIndex = v is null ? null : Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) }),
        new("failed_statement", JournalColumnType.Text, true, JournalDefault.None, 1, e => e.FailedStatement, (e, v) => e with { FailedStatement = (string?)v }),
        new("error", JournalColumnType.Text, true, JournalDefault.None, 1, e => e.Error, (e, v) => e with { Error = (string?)v }),

        // 2: expand/contract (the stored plan of an expanded migration)
        new("plan", JournalColumnType.Text, true, JournalDefault.None, 2, e => e.Plan, (e, v) => e with { Plan = (string?)v }),
    ];

    /// <summary>The schema version this release writes: the newest column's <see cref="JournalColumn.Since"/>.</summary>
    public static int Version { get; } = Columns.Max(c => c.Since);

    /// <summary>The column list for SELECT and INSERT, in <see cref="Columns"/> order.</summary>
    public static string ColumnList { get; } = string.Join(", ", Columns.Select(c => c.Name));

    /// <summary>The schema version a journal with these columns has (0: none of them).</summary>
    public static int VersionOf(IEnumerable<string> existingColumns)
    {
        var present = existingColumns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (present.Count == 0)
        {
            return 0;
        }

        var version = 0;
        foreach (var group in Columns.GroupBy(c => c.Since).OrderBy(g => g.Key))
        {
            if (!group.All(c => present.Contains(c.Name)))
            {
                break;
            }

            version = group.Key;
        }

        return version;
    }

    /// <summary>Maps the rows of a <c>SELECT {ColumnList} …</c>; <paramref name="time"/> reads a timestamp column (drivers differ).</summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(DbCommand select, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<JournalEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = new JournalEntry { Version = string.Empty, Name = string.Empty, Checksum = string.Empty, State = JournalState.Applied };
            for (var i = 0; i < Columns.Count; i++)
            {
                var column = Columns[i];
                try
                {
                    object? value = reader.IsDBNull(i) ? null : column.Type == JournalColumnType.Timestamp ? time(reader, i) : reader.GetValue(i);
                    if (value is null && !column.Nullable)
                    {
                        throw new CorruptJournalException(i == 0 ? "(no version)" : entry.Version, $"{column.Name} is NULL");
                    }

                    entry = column.Set(entry, value);
                }
                catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or InvalidOperationException)
                {
                    // never guessed: a guess re-runs or skips migrations
                    throw new CorruptJournalException(i == 0 ? "(no version)" : entry.Version, $"{column.Name} cannot be read: {ex.Message}");
                }
            }

            list.Add(entry);
        }

        return list;
    }

    /// <summary>Adds a row's values as parameters named <c>{marker}p0 … {marker}pN</c> in <see cref="Columns"/> order
    /// (timestamp columns are written by the database's clock, not as a parameter).</summary>
    public static void AddParameters(DbCommand command, JournalEntry entry, char marker)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Type == JournalColumnType.Timestamp)
            {
                continue;
            }

            var p = command.CreateParameter();
            p.ParameterName = $"{marker}p{i}";
            p.DbType = Columns[i].Type switch
            {
                JournalColumnType.Integer => System.Data.DbType.Int32,
                JournalColumnType.BigInt => System.Data.DbType.Int64,
                _ => System.Data.DbType.String,
            };
            p.Value = Columns[i].Get(entry) ?? DBNull.Value;
            command.Parameters.Add(p);
        }
    }

    private static JournalEntry ReadState(JournalEntry entry, object? value)
    {
        var text = value as string;
        return JournalEntry.TryParseState(text, out var state)
            ? entry with { State = state }
            : throw new CorruptJournalException(entry.Version, $"state '{text}' is none of applied, failed, running, expanded, completing, aborting");
    }

    private static DateTimeOffset AsTime(object? value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s when DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) => d,
        _ => default,
    };
}
