using System.Globalization;

namespace Stepwise.Analysis.Reporting;

/// <summary>The size of the table a finding is about, from the database's catalog statistics (<c>stepwise lint
/// --database</c>): an estimate, never a count of user rows.</summary>
/// <param name="Table">The table as the finding names it (schema-qualified outside the default schema).</param>
/// <param name="Rows">The catalog's row estimate (0 for a new table).</param>
/// <param name="Bytes">Its size on disk, indexes included where the catalog counts them (0 for a new table).</param>
/// <param name="IsNew">Not in the database: the migrations being linted create it.</param>
public sealed record TableSizeNote(string Table, long Rows, long Bytes, bool IsNew)
{
    /// <summary>"users: ~12M rows, 3.1 GB", or "users: new (not in the database)".</summary>
    public string Text => IsNew ? $"{Table}: new (not in the database)" : $"{Table}: ~{RowCount(Rows)} rows, {ByteSize(Bytes)}";

    /// <summary>A row estimate in short form: 950, 12k, 3.4M, 1.2B.</summary>
    public static string RowCount(long rows) => rows switch
    {
        < 1_000 => rows.ToString(CultureInfo.InvariantCulture),
        < 1_000_000 => Short(rows / 1_000d, "k"),
        < 1_000_000_000 => Short(rows / 1_000_000d, "M"),
        _ => Short(rows / 1_000_000_000d, "B"),
    };

    /// <summary>A size as PostgreSQL's pg_size_pretty writes it (powers of 1024): 16 kB, 3.1 GB.</summary>
    public static string ByteSize(long bytes) => bytes switch
    {
        < 1024 => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
        < 1024L * 1024 => Short(bytes / 1024d, " kB"),
        < 1024L * 1024 * 1024 => Short(bytes / (1024d * 1024), " MB"),
        < 1024L * 1024 * 1024 * 1024 => Short(bytes / (1024d * 1024 * 1024), " GB"),
        _ => Short(bytes / (1024d * 1024 * 1024 * 1024), " TB"),
    };

    private static string Short(double value, string unit) =>
        (value < 10 ? value.ToString("0.#", CultureInfo.InvariantCulture) : Math.Round(value).ToString("0", CultureInfo.InvariantCulture)) + unit;
}
