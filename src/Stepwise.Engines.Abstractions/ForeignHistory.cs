namespace Stepwise.Engines;

/// <summary>
/// Another migration tool's history table, described as data so that a layout can declare it and every engine
/// can read it (for <c>baseline --from</c>): the table, the column that holds what the tool applied, and the
/// conditions a row must meet to count as applied.
/// </summary>
/// <param name="Tool">The tool's name as users type it (<c>flyway</c>, <c>golang-migrate</c> …).</param>
/// <param name="Table">The table's name, unqualified.</param>
/// <param name="Column">The column read (as text) from each counted row.</param>
/// <param name="Conditions">What a row must satisfy to count (all of them).</param>
public sealed record ForeignHistory(string Tool, string Table, string Column, IReadOnlyList<HistoryCondition> Conditions)
{
    /// <summary>The schema the table lives in on PostgreSQL, when it is not on the search path (drizzle: <c>drizzle</c>).</summary>
    public string? PostgresSchema { get; init; }

    /// <summary>Further columns read from each counted row, joined to <see cref="Column"/> with ':' (Liquibase:
    /// <c>author</c> then <c>id</c>, read as <c>author:id</c>).</summary>
    public IReadOnlyList<string> MoreColumns { get; init; } = [];

    /// <summary>Every column a row must have: the ones read and the ones tested.</summary>
    public IEnumerable<string> ColumnsUsed =>
        MoreColumns.Prepend(Column).Concat(Conditions.Select(h => h.Column)).Concat(Conditions.Where(h => h.Test == HistoryTest.EqualsColumn).Select(h => h.Value!));

    /// <summary>The table's name on MySQL/MariaDB and SQLite, which have no schemas, when the tool folds its schema
    /// into the name there (grate: <c>grate_ScriptsRun</c>); null when it is <see cref="Table"/> everywhere.</summary>
    public string? SchemalessTable { get; init; }

    /// <summary>The table to look for on an engine without schemas (MySQL/MariaDB, SQLite).</summary>
    public string TableWithoutSchemas => SchemalessTable ?? Table;

    /// <summary>The table name a user configured instead of the tool's default (<c>--history-table</c>).</summary>
    public ForeignHistory WithTable(string table) => this with { Table = table, SchemalessTable = null };

    /// <summary>The SELECT of the counted rows' column as text: <paramref name="asText"/> casts a quoted column,
    /// <paramref name="integerBooleans"/> says booleans are 0/1 (MySQL).</summary>
    public string Select(string qualifiedTable, Func<string, string> quote, Func<string, string> asText, bool integerBooleans)
    {
        var where = Conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", Conditions.Select(h => h.Test switch
        {
            HistoryTest.IsTrue => integerBooleans ? quote(h.Column) + " <> 0" : quote(h.Column),
            HistoryTest.IsFalse => integerBooleans ? quote(h.Column) + " = 0" : "NOT " + quote(h.Column),
            HistoryTest.IsPositive => quote(h.Column) + " > 0",
            HistoryTest.IsNull => quote(h.Column) + " IS NULL",
            HistoryTest.EqualsColumn => quote(h.Column) + " = " + quote(h.Value!),
            HistoryTest.EqualsText => quote(h.Column) + " = " + Literal(h.Value!),
            HistoryTest.DoesNotStartWith => "(" + quote(h.Column) + " IS NULL OR " + quote(h.Column) + " NOT LIKE " + Literal(h.Value! + "%") + ")",
            _ => quote(h.Column) + " IS NOT NULL",
        }));
        var columns = string.Join(", ", MoreColumns.Prepend(Column).Select(c => asText(quote(c))));
        return $"SELECT {columns} FROM {qualifiedTable}{where}";
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Runs a <see cref="Select"/> and reads its values.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(System.Data.Common.DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var value = reader.GetString(0);
            for (var i = 1; i < reader.FieldCount; i++)
            {
                value += ":" + (reader.IsDBNull(i) ? string.Empty : reader.GetString(i));
            }

            list.Add(value);
        }

        return list;
    }
}

/// <summary>One condition on a history row.</summary>
/// <param name="Column">The column tested.</param>
/// <param name="Test">How.</param>
public sealed record HistoryCondition(string Column, HistoryTest Test)
{
    /// <summary>What <see cref="HistoryTest.EqualsColumn"/>, <see cref="HistoryTest.EqualsText"/> and
    /// <see cref="HistoryTest.DoesNotStartWith"/> compare with: another column, or a text.</summary>
    public string? Value { get; init; }
}

/// <summary>The tests a history condition can make, which every dialect can express.</summary>
public enum HistoryTest
{
    /// <summary>A boolean (or 0/1) column that is true.</summary>
    IsTrue,

    /// <summary>A boolean (or 0/1) column that is false.</summary>
    IsFalse,

    /// <summary>The column is NULL.</summary>
    IsNull,

    /// <summary>The column is not NULL.</summary>
    IsNotNull,

    /// <summary>A number greater than zero (goose's version 0 row is its own bookkeeping, not a migration).</summary>
    IsPositive,

    /// <summary>Equal to the column named by <see cref="HistoryCondition.Value"/> (Atlas: <c>applied = total</c>).</summary>
    EqualsColumn,

    /// <summary>Equal to the text <see cref="HistoryCondition.Value"/> (Evolve: <c>type = '0'</c>, a migration).</summary>
    EqualsText,

    /// <summary>NULL or not starting with the text <see cref="HistoryCondition.Value"/>, which holds no LIKE wildcard (Atlas's <c>.atlas_cloud_identifier</c>
    /// row is bookkeeping, not a migration).</summary>
    DoesNotStartWith,
}
