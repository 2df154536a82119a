using Stepwise.Analysis.Reporting;
using Stepwise.Engines;

namespace Stepwise.Migrations.Trace;

/// <summary>Judges lint findings by the trace: a lock/rewrite rule's finding is confirmed when its statement rewrote an
/// existing table, held a lock that blocks application statements on one, or failed (e.g. NOT NULL on rows that have
/// NULLs); a statement with such an effect and no lock/rewrite finding is unreported.</summary>
public static class TraceMerge
{
    /// <summary>Rules whose findings claim a lock, a scan under a lock, or a rewrite.</summary>
    public static readonly IReadOnlySet<string> LockRules = new HashSet<string>(StringComparer.Ordinal)
    {
        "adding-column-volatile-default", "adding-required-column", "adding-unique-constraint", "changing-column-type",
        "constraint-missing-not-valid", "lock-table", "mysql-unsafe-algorithm", "non-concurrent-index",
        "non-concurrent-index-drop", "non-concurrent-refresh", "non-concurrent-reindex", "set-not-null",
        "table-rewrite-command", "timestamp-time-zone-change", "trigger-on-existing-table",
    };

    /// <summary>A blocking lock shorter than this, on a table the statement neither scanned nor rewrote, is the
    /// brief catalog-only kind (ADD COLUMN nullable): not reported.</summary>
    public static readonly TimeSpan BriefLock = TimeSpan.FromMilliseconds(100);

    /// <summary>Merges.</summary>
    public static (IReadOnlyList<JudgedFinding> Findings, IReadOnlyList<UnreportedEffect> Unreported) Merge(IReadOnlyList<TracedStatement> statements, IReadOnlyList<Finding> findings, Func<TracedStatement, Finding, bool> pointsAt)
    {
        ArgumentNullException.ThrowIfNull(statements);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(pointsAt);
        var judged = new List<JudgedFinding>();
        foreach (var finding in findings)
        {
            var statement = statements.FirstOrDefault(s => pointsAt(s, finding));
            // a lock claim is confirmed by any blocking lock the polls saw (LOCK TABLE's is brief on a scratch
            // database); a failure on the data (SQLSTATE class 23: NOT NULL on rows with NULLs) confirms too; a
            // statement that failed for another reason (a column an earlier migration dropped) cannot be judged
            var verdict = statement is null || !LockRules.Contains(finding.Rule) ? TraceVerdict.NotJudged
                : statement.Trace.Error is { } error ? (error.StartsWith("23", StringComparison.Ordinal) ? TraceVerdict.Confirmed : TraceVerdict.NotJudged)
                : statement.Rewrites.Any() || statement.BlockingLocks.Any(l => !l.Inferred) || Significant(statement) ? TraceVerdict.Confirmed
                : !statement.Trace.LocksObserved ? TraceVerdict.NotJudged // no rewrite, and its locks could not be seen
                : TraceVerdict.NotConfirmed;
            judged.Add(new JudgedFinding(finding, verdict, statement));
        }

        var unreported = new List<UnreportedEffect>();
        foreach (var statement in statements)
        {
            if (!Significant(statement) || judged.Any(j => ReferenceEquals(j.Statement, statement) && LockRules.Contains(j.Finding.Rule)))
            {
                continue;
            }

            var blocks = statement.BlockingLocks.Aggregate(BlockedStatements.None, (all, l) => all | l.Blocks);
            unreported.Add(new UnreportedEffect(statement, statement.Rewrites.Any(), blocks));
        }

        return (judged, unreported);
    }

    /// <summary>A rewrite of an existing table, or a blocking lock on one that was held while the table was scanned
    /// or rewritten, or for longer than <see cref="BriefLock"/>.</summary>
    public static bool Significant(TracedStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (statement.Rewrites.Any(r => !r.IsIndex))
        {
            return true;
        }

        var scanned = statement.Trace.Scanned.ToHashSet(StringComparer.Ordinal);
        var created = statement.Trace.Storage.Where(s => s.Kind == StorageChangeKind.Created).Select(s => s.Table).ToHashSet(StringComparer.Ordinal);
        return statement.BlockingLocks.Any(l => !l.Inferred && (scanned.Contains(l.Relation) || created.Contains(l.Relation) || l.Held >= BriefLock));
    }
}
