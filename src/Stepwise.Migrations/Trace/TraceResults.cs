using Stepwise.Analysis.Reporting;
using Stepwise.Engines;

namespace Stepwise.Migrations.Trace;

/// <summary>One traced statement of a pending migration.</summary>
/// <param name="Path">The migration file.</param>
/// <param name="Version">The migration's version.</param>
/// <param name="Index">0-based statement index in the file.</param>
/// <param name="Line">1-based line where the statement starts.</param>
/// <param name="Sql">The statement as the database received it.</param>
/// <param name="InTransaction">Whether it ran in a transaction (as <c>up</c> would).</param>
/// <param name="Trace">What the tracer observed.</param>
/// <param name="NewTables">Tables created earlier in the same migration (new: their locks and rewrites harm nobody).</param>
public sealed record TracedStatement(string Path, string Version, int Index, int Line, string Sql, bool InTransaction, StatementTrace Trace, IReadOnlySet<string> NewTables)
{
    /// <summary>Rewrites of tables and indexes that existed before the migration.</summary>
    public IEnumerable<StorageChange> Rewrites => Trace.Storage.Where(s => s.Kind == StorageChangeKind.Rewritten && !IsNew(s.Table));

    /// <summary>Locks on tables that existed before the migration that block some application statement.</summary>
    public IEnumerable<TracedLock> BlockingLocks => Trace.Locks.Where(l => l.Blocks != BlockedStatements.None && !IsNew(l.Relation));

    /// <summary>Created earlier in the migration, or by this statement.</summary>
    private bool IsNew(string table) =>
        NewTables.Contains(table) || Trace.Storage.Any(s => s.Kind == StorageChangeKind.Created && !s.IsIndex && s.Relation == table);
}

/// <summary>How the trace judged a lint finding.</summary>
public enum TraceVerdict
{
    /// <summary>The trace saw what the finding claims (a rewrite, a blocking lock, or the statement failing on data).</summary>
    Confirmed,

    /// <summary>The finding claims a lock or rewrite that the trace did not see.</summary>
    NotConfirmed,

    /// <summary>The finding is not about locks or rewrites (renames, drops, batching…): the trace cannot judge it.</summary>
    NotJudged,
}

/// <summary>A lint finding with the trace's verdict.</summary>
/// <param name="Finding">The finding.</param>
/// <param name="Verdict">Confirmed or not.</param>
/// <param name="Statement">The traced statement it points at, or null (not traced).</param>
public sealed record JudgedFinding(Finding Finding, TraceVerdict Verdict, TracedStatement? Statement);

/// <summary>A statement the trace saw rewrite a table or hold a blocking lock, without any lint finding about it.</summary>
/// <param name="Statement">The statement.</param>
/// <param name="Rewrite">It rewrote an existing table.</param>
/// <param name="Blocks">What its locks blocked.</param>
public sealed record UnreportedEffect(TracedStatement Statement, bool Rewrite, BlockedStatements Blocks);

/// <summary>The trace of the pending migrations, merged with lint.</summary>
/// <param name="Statements">Every traced statement in order.</param>
/// <param name="Findings">Every lint finding on the traced files, judged.</param>
/// <param name="Unreported">Effects lint did not report.</param>
/// <param name="RowsPerTable">Rows seeded into each table before the statements ran.</param>
/// <param name="Notes">What could not be done (a table that could not be seeded, an untraced file…).</param>
public sealed record TraceReport(IReadOnlyList<TracedStatement> Statements, IReadOnlyList<JudgedFinding> Findings, IReadOnlyList<UnreportedEffect> Unreported, int RowsPerTable, IReadOnlyList<string> Notes)
{
    /// <summary>Any finding not confirmed, or any unreported effect.</summary>
    public bool HasProblems => Unreported.Count > 0 || Findings.Any(f => f.Verdict == TraceVerdict.NotConfirmed);
}
