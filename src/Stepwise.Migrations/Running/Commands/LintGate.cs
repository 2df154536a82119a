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
    public static LintRefused? Check(MigrationSet set, IEnumerable<Migration> toRun, LintOptions lint)
    {
        var sources = set.Load.Migrations
            .Select(m => new LintInput(new SourceText(m.Up.Text, m.Up.Path)) { NoTransaction = m.Up.NoTransaction, BreakpointComment = m.Up.BreakpointComment })
            .ToList();
        var report = Linter.Lint(sources, lint);
        var running = toRun.ToList();
        var paths = running.Select(m => m.Up.Path).ToHashSet(StringComparer.Ordinal);
        // an expand/contract file is linted for what its plan will run (the linter drops what the plan makes safe)
        var errors = report.Findings.Where(f => f.Severity == Severity.Error && paths.Contains(f.Path)).ToList();
        return errors.Count == 0 ? null : new LintRefused(new LintReport(running.Count, errors));
    }
}
