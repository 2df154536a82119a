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

    /// <summary>The table name a user configured instead of the tool's default (<c>--history-table</c>).</summary>
    public ForeignHistory WithTable(string table) => this with { Table = table };

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
            _ => quote(h.Column) + " IS NOT NULL",
        }));
        return $"SELECT {asText(quote(Column))} FROM {qualifiedTable}{where}";
    }

    /// <summary>Runs a <see cref="Select"/> and reads its values.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(System.Data.Common.DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }
}

/// <summary>One condition on a history row.</summary>
/// <param name="Column">The column tested.</param>
/// <param name="Test">How.</param>
public sealed record HistoryCondition(string Column, HistoryTest Test);

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
}
