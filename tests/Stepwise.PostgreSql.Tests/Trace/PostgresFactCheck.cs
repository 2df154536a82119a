using Stepwise.Engines;
using Stepwise.PostgreSql.Trace;

namespace Stepwise.PostgreSql.Tests.Trace;

/// <summary>Traces one <see cref="PostgresFact"/> and lists every way the observation disagrees with it.</summary>
internal static class PostgresFactCheck
{
    public static async Task<(StatementTrace Trace, List<string> Disagreements)> CheckAsync(IEngine engine, PostgresFact fact)
    {
        var tracer = engine.Ability<IStatementTracer>() ?? throw new InvalidOperationException("no tracer");
        var trace = await tracer.TraceAsync(fact.Statement, TraceOptions.Default with { InTransaction = fact.InTransaction }, CancellationToken.None);
        var wrong = new List<string>();
        if (trace.Error is not null)
        {
            wrong.Add($"failed: {trace.Error}");
            return (trace, wrong);
        }

        var major = engine.Server.PostgresMajor;
        var scan = fact.ScansBeforeMajor is { } until && major < until ? true : fact.Scan;
        var strongest = Strongest(trace, fact.Table);
        if (fact.TableLock == "none")
        {
            if (trace.Locks.Any(l => !l.IsIndex))
            {
                wrong.Add("expected no table lock, saw " + Describe(trace));
            }
        }
        else if (strongest != fact.TableLock && !(strongest is null && fact.MaySlipPastPolls))
        {
            wrong.Add($"lock on {fact.Table}: expected {fact.TableLock}, saw {strongest ?? "none"} ({Describe(trace)})");
        }

        if (fact.OtherLock is { } other && Strongest(trace, other.Table) != other.Mode)
        {
            wrong.Add($"lock on {other.Table}: expected {other.Mode}, saw {Strongest(trace, other.Table) ?? "none"}");
        }

        var rewritten = trace.Storage.Any(s => !s.IsIndex && s.Relation == fact.Table && s.Kind == StorageChangeKind.Rewritten);
        if (rewritten != fact.Rewrite)
        {
            wrong.Add($"rewrite of {fact.Table}: expected {fact.Rewrite}, saw {rewritten}");
        }

        if (fact.Index is { } index)
        {
            var indexRewritten = trace.Storage.Any(s => s.IsIndex && s.Relation == index.Index && s.Kind == StorageChangeKind.Rewritten);
            if (indexRewritten != index.Rewritten)
            {
                wrong.Add($"index {index.Index} rebuilt: expected {index.Rewritten}, saw {indexRewritten}");
            }
        }

        if (scan is { } expectScan && fact.InTransaction && trace.Scanned.Contains(fact.Table) != expectScan)
        {
            wrong.Add($"scan of {fact.Table}: expected {expectScan}, saw {!expectScan} (scanned: {string.Join(", ", trace.Scanned)})");
        }

        return (trace, wrong);
    }

    /// <summary>The strongest mode held on a table (not its indexes), in PostgreSQL's order of modes.</summary>
    public static string? Strongest(StatementTrace trace, string table) => trace.Locks
        .Where(l => !l.IsIndex && l.Relation == table)
        .Select(l => l.Mode)
        .OrderByDescending(m => PostgresLockModes.All.ToList().IndexOf(m))
        .FirstOrDefault();

    public static string Describe(StatementTrace trace) =>
        string.Join(", ", trace.Locks.Select(l => $"{l.Relation}:{l.Mode}")) + (trace.Rewrite ? " rewrite" : string.Empty);
}
