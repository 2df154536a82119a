using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;
using Stepwise.Sql;

namespace Stepwise.Migrations.Running.Commands;

/// <summary>Lints the whole folder (so the schema replay sees every earlier migration) and keeps the error
/// findings of the migrations about to run.</summary>
internal static class LintGate
{
    /// <summary>Rules whose finding an expand/contract file's plan makes safe (the engine refuses, at plan time and
    /// naming why, a change it cannot run safely).</summary>
    private static readonly HashSet<string> MadeSafe = new(StringComparer.Ordinal)
    {
        "rename-column", "rename-table", "changing-column-type", "set-not-null", "adding-required-column", "drop-column", "drop-table",
        "non-concurrent-index", "constraint-missing-not-valid", "adding-unique-constraint", "mysql-non-atomic-ddl", "mysql-unsafe-algorithm",
    };

    public static LintRefused? Check(MigrationSet set, IEnumerable<Migration> toRun, LintOptions lint)
    {
        var sources = set.Load.Migrations
            .Select(m => new LintInput(new SourceText(m.Up.Text, m.Up.Path)) { NoTransaction = m.Up.NoTransaction, BreakpointComment = m.Up.BreakpointComment })
            .ToList();
        var report = Linter.Lint(sources, lint);
        var running = toRun.ToList();
        var paths = running.Select(m => m.Up.Path).ToHashSet(StringComparer.Ordinal);
        var directive = running.Where(m => ExpandContract.ExpandContractDirective.IsPresent(m.Up.Text)).Select(m => m.Up.Path).ToHashSet(StringComparer.Ordinal);
        var errors = report.Findings.Where(f => f.Severity == Severity.Error && paths.Contains(f.Path) && !(directive.Contains(f.Path) && MadeSafe.Contains(f.Rule))).ToList();
        return errors.Count == 0 ? null : new LintRefused(new LintReport(running.Count, errors));
    }
}
