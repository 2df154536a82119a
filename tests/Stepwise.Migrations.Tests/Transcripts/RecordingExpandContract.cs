using Stepwise.Engines;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>The recording engine's expand/contract abilities: a fixed plan (the runner's logic is under test, not
/// an engine's SQL), and a scripted answer to "does the old release still run?". Every call is recorded.</summary>
internal sealed class RecordingExpandContract(RecordingDatabase db) : IExpandContractSql, IOldNameUsage
{
    public Task<EcPlan> PlanAsync(string id, IReadOnlyList<EcChange> changes, CancellationToken cancellationToken)
    {
        db.PlanCalls++;
        db.Transcript.Add($"plan expand/contract id={id}: {string.Join("; ", changes.Select(Describe))}");
        if (db.ExpandContractRefusal is { } reason)
        {
            db.Transcript.Add("  ! refused: " + reason);
            throw new EcPlanException(reason);
        }

        var plan = db.ExpandContractPlan!;
        db.Transcript.Add($"  => expand {plan.Expand.Count} step(s), {plan.Backfills.Count} backfill(s), contract {plan.Contract.Count}, abort {plan.Abort.Count}; tables {string.Join(", ", plan.Tables)}");
        return Task.FromResult(plan);
    }

    public Task<string?> UnavailableBecauseAsync(CancellationToken cancellationToken)
    {
        db.Transcript.Add("old-name usage available? " + (db.OldNameUsageUnavailable is { } why ? "no: " + why : "yes"));
        return Task.FromResult(db.OldNameUsageUnavailable);
    }

    public Task<IReadOnlyList<EcOldNameUse>> RecentUsesAsync(IReadOnlyList<EcOldName> names, TimeSpan quietPeriod, CancellationToken cancellationToken)
    {
        var uses = db.OldNameUses ?? [];
        db.Transcript.Add($"old-name uses of {string.Join(", ", names.Select(n => n.Column is null ? n.Table : n.Table + "." + n.Column))} within {Transcript.Duration(quietPeriod)}: {uses.Count}");
        return Task.FromResult(uses);
    }

    private static string Describe(EcChange change) => change switch
    {
        EcStatement s => $"statement on {s.Table}: {Transcript.OneLine(s.Sql)}",
        _ => change.ToString(),
    };
}
