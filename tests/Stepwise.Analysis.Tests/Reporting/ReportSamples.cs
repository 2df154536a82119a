using Stepwise.Analysis.Reporting;
using Stepwise.Sql;

namespace Stepwise.Analysis.Tests.Reporting;

/// <summary>Findings built directly on a SourceText, with the positions the tests expect.</summary>
internal static class ReportSamples
{
    public const string Path = "migrations/0003_users.sql";

    // line 3 starts with a tab; the UPDATE spans lines 4-5
    public const string Sql =
        "-- users: email index and age\n" +
        "CREATE INDEX idx_users_email ON users (email);\n" +
        "\tALTER TABLE users ADD COLUMN age int NOT NULL;\n" +
        "UPDATE users\n" +
        "SET age = 0;\n" +
        "-- stepwise:ignore drop-table\n";

    public static readonly SourceText Source = new(Sql, Path);

    public static readonly IReadOnlyList<RuleInfo> Catalogue =
    [
        new("non-concurrent-index", "CREATE INDEX without CONCURRENTLY", Severity.Warning, "Use CREATE INDEX CONCURRENTLY in its own migration.", "https://example.test/rules/non-concurrent-index"),
        new("adding-required-column", "ADD COLUMN NOT NULL without a default", Severity.Error, "Add the column nullable, backfill, then SET NOT NULL.", null),
        new("unbatched-data-change", "UPDATE or DELETE of a whole table", Severity.Error, "Backfill in batches with stepwise backfill.", null),
        new("drop-table", "DROP TABLE of a live table", Severity.Error, "Stop using the table first; drop it in a later release.", null),
    ];

    public static TextSpan SpanOf(string text, int occurrence = 0)
    {
        var index = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            index = Sql.IndexOf(text, index + 1, StringComparison.Ordinal);
        }

        Assert.True(index >= 0, $"'{text}' is not in the sample");
        return new TextSpan(index, text.Length);
    }

    /// <summary>Line 2, column 1: CREATE INDEX, with a fix inserting CONCURRENTLY at line 2 column 14.</summary>
    public static Finding Index() => new(
        "non-concurrent-index",
        Severity.Warning,
        Source,
        SpanOf("CREATE INDEX idx_users_email ON users (email);"),
        "CREATE INDEX without CONCURRENTLY blocks writes to \"users\"",
        "Use CREATE INDEX CONCURRENTLY in its own migration.",
        new Fix("Add CONCURRENTLY", [new TextEdit(new TextSpan(SpanOf("idx_users_email").Start, 0), "CONCURRENTLY ")]));

    /// <summary>Line 3, column 2 (after the tab): NOT NULL, columns 42..50.</summary>
    public static Finding RequiredColumn() => new(
        "adding-required-column",
        Severity.Error,
        Source,
        SpanOf("NOT NULL"),
        "ADD COLUMN age NOT NULL without a default fails on a non-empty table.",
        "Add the column nullable, backfill, then SET NOT NULL.");

    /// <summary>Lines 4-5: the UPDATE, ending at line 5 column 13.</summary>
    public static Finding Update() => new(
        "unbatched-data-change",
        Severity.Error,
        Source,
        SpanOf("UPDATE users\nSET age = 0;"),
        "UPDATE of every row of users in one transaction",
        "Backfill in batches with stepwise backfill.");

    /// <summary>Line 6: a rule that is not in the catalogue.</summary>
    public static Finding UnusedSuppression() => new(
        "unused-suppression",
        Severity.Info,
        Source,
        SpanOf("-- stepwise:ignore drop-table"),
        "This suppression of drop-table matches no finding",
        "Remove it.");

    public static LintReport Report() => new(2, [Index(), RequiredColumn(), Update(), UnusedSuppression()]);

    public static string Render(LintReport report, ReportFormat format, bool color = false)
    {
        using var output = new StringWriter();
        ReportWriter.Write(report, format, output, new ReportOptions { Rules = Catalogue, Color = color, ToolVersion = "1.2.3", InformationUri = "https://example.test/stepwise" });
        return output.ToString();
    }
}
