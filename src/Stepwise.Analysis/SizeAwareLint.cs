using System.Globalization;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;

namespace Stepwise.Analysis;

/// <summary>
/// Lint that knows the database (<c>stepwise lint --database URL</c>): each finding on a table is given the table's
/// size from catalog statistics, a locking finding (<see cref="RuleCategory.Locking"/>: rules about locks, rewrites
/// and blocking scans) on a table below the small-table threshold, or on a table not in the database yet (created
/// by the migrations themselves, so empty when they run), drops to info and says why.
/// </summary>
public static class SizeAwareLint
{
    /// <summary>Tables with fewer estimated rows than this are small (<c>--small-table</c>, stepwise.toml <c>small-table</c>).</summary>
    public const long DefaultSmallTable = 10_000;

    /// <summary>The report with sizes added and locking findings on small or new tables lowered to info.</summary>
    /// <param name="report">The lint report.</param>
    /// <param name="sizes">Every table of the database: name (as <see cref="Finding.Table"/>: unquoted, qualified outside the default schema), estimated rows, bytes.</param>
    /// <param name="smallTable">Tables with fewer estimated rows are small.</param>
    public static LintReport Apply(LintReport report, IEnumerable<(string Table, long Rows, long Bytes)> sizes, long smallTable = DefaultSmallTable)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(sizes);
        var byName = new Dictionary<string, (string Table, long Rows, long Bytes)>(StringComparer.OrdinalIgnoreCase);
        foreach (var size in sizes)
        {
            byName[size.Table] = size;
        }

        return report with { Findings = [.. report.Findings.Select(f => Apply(f, byName, smallTable))] };
    }

    /// <summary>True for a rule about locks, rewrites or blocking scans (<see cref="RuleCategory.Locking"/>).</summary>
    public static bool IsLocking(string rule) => RuleCatalog.Find(rule)?.Descriptor.Category == RuleCategory.Locking;

    private static Finding Apply(Finding finding, Dictionary<string, (string Table, long Rows, long Bytes)> sizes, long smallTable)
    {
        if (finding.Table is not { } table)
        {
            return finding;
        }

        // a qualified name the catalog lists bare (its default schema, MySQL's connected database)
        var dot = table.LastIndexOf('.');
        var found = sizes.TryGetValue(table, out var size) || (dot > 0 && sizes.TryGetValue(table[(dot + 1)..], out size));
        var note = found ? new TableSizeNote(table, size.Rows, size.Bytes, IsNew: false) : new TableSizeNote(table, 0, 0, IsNew: true);
        finding = finding with { Size = note };
        if (finding.Severity == Severity.Info || !IsLocking(finding.Rule) || (found && note.Rows >= smallTable))
        {
            return finding;
        }

        var because = note.IsNew
            ? "a new table, created by these migrations, is empty while they run"
            : $"a small table (below --small-table {smallTable.ToString("N0", CultureInfo.InvariantCulture)} rows) is locked only briefly";
        return finding with { Severity = Severity.Info, LoweredFrom = finding.Severity, LoweredBecause = because };
    }
}
