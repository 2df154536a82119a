using Stepwise.Engines;
using static Stepwise.PostgreSql.ExpandContract.EcSql;

namespace Stepwise.PostgreSql.ExpandContract;

/// <summary>One column pair the sync trigger of a table keeps equal (or fills).</summary>
/// <param name="Old">The column the old release writes.</param>
/// <param name="New">The column the new release (or contract) reads.</param>
/// <param name="Up">new := Up (over NEW.columns) when the old side was written.</param>
/// <param name="Down">old := Down when only the new side was written (null: the new side is never written by an application).</param>
internal sealed record EcPair(string Old, string New, string Up, string? Down);

/// <summary>The statements of each phase as they are gathered, change by change; <see cref="Build"/> orders them into steps.</summary>
internal sealed class EcPlanBuilder(string id)
{
    public string Id { get; } = id;

    /// <summary>Expand, first transaction: columns, NOT VALID checks, views (triggers are added at the end).</summary>
    public List<string> ExpandTx { get; } = [];

    /// <summary>Expand, concurrent index builds (each: drop if invalid, create if missing).</summary>
    public List<EcStep> ExpandIndexes { get; } = [];

    /// <summary>Expand, the other statements' safe forms, in file order.</summary>
    public List<EcStep> ExpandStatements { get; } = [];

    public Dictionary<string, (EcTable Table, List<EcPair> Pairs, List<string> Fills)> Triggers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (List<string> Set, List<string> Where)> Backfills { get; } = new(StringComparer.Ordinal);

    /// <summary>Contract, VALIDATE CONSTRAINT statements (guarded), before the swap.</summary>
    public List<string> ContractValidate { get; } = [];

    /// <summary>Contract, the one short transaction.</summary>
    public List<string> ContractTx { get; } = [];

    /// <summary>Abort, the transaction (run first).</summary>
    public List<string> AbortTx { get; } = [];

    /// <summary>Abort, concurrent index drops (after the transaction: leftovers, INVALID ones).</summary>
    public List<string> AbortIndexes { get; } = [];

    public List<string> Tables { get; } = [];

    public List<EcOldName> OldNames { get; } = [];

    public void Trigger(EcTable table, EcPair? pair, string? fill = null)
    {
        if (!Triggers.TryGetValue(table.Qualified, out var entry))
        {
            entry = (table, [], []);
            Triggers[table.Qualified] = entry;
        }

        if (pair is not null)
        {
            entry.Pairs.Add(pair);
        }

        if (fill is not null)
        {
            entry.Fills.Add(fill);
        }
    }

    public void Backfill(string tableKey, string set, string where)
    {
        if (!Backfills.TryGetValue(tableKey, out var entry))
        {
            entry = ([], []);
            Backfills[tableKey] = entry;
        }

        entry.Set.Add(set);
        entry.Where.Add(where);
    }

    public string FunctionName(EcTable table) => table.Qualify(Name(Id, table.Name + "_sync"));

    public string TriggerName(EcTable table) => Q(Name(Id, table.Name + "_sync"));

    public EcPlan Build()
    {
        var expandTx = new List<string>(ExpandTx);
        var contractTx = new List<string>();
        var abortTx = new List<string>();
        foreach (var (table, pairs, fills) in Triggers.Values)
        {
            expandTx.Add(SyncFunction(table, pairs, fills));
            expandTx.Add($"DROP TRIGGER IF EXISTS {TriggerName(table)} ON {table.Qualified}");
            expandTx.Add($"CREATE TRIGGER {TriggerName(table)} BEFORE INSERT OR UPDATE ON {table.Qualified} FOR EACH ROW EXECUTE FUNCTION {FunctionName(table)}()");
            var drop = new[] { $"DROP TRIGGER IF EXISTS {TriggerName(table)} ON {table.Qualified}", $"DROP FUNCTION IF EXISTS {FunctionName(table)}()" };
            contractTx.AddRange(drop);
            abortTx.AddRange(drop);
        }

        contractTx.AddRange(ContractTx);
        abortTx.AddRange(AbortTx);
        var expand = new List<EcStep>();
        if (expandTx.Count > 0)
        {
            expand.Add(new EcStep("add columns, checks and sync triggers", EcStepKind.Transaction, expandTx));
        }

        expand.AddRange(ExpandIndexes);
        expand.AddRange(ExpandStatements);
        var contract = new List<EcStep>();
        if (ContractValidate.Count > 0)
        {
            contract.Add(new EcStep("validate constraints", EcStepKind.Statements, ContractValidate));
        }

        if (contractTx.Count > 0)
        {
            contract.Add(new EcStep("swap columns, drop the old shape", EcStepKind.Transaction, contractTx));
        }

        var abort = new List<EcStep>();
        if (abortTx.Count > 0)
        {
            abort.Add(new EcStep("drop what expand added, restore the old shape", EcStepKind.Transaction, abortTx));
        }

        if (AbortIndexes.Count > 0)
        {
            abort.Add(new EcStep("drop indexes expand built", EcStepKind.Statements, AbortIndexes));
        }

        return new EcPlan
        {
            Expand = expand,
            Backfills = [.. Backfills.Select(b => new EcBackfill(b.Key, string.Join(", ", b.Value.Set), string.Join(" OR ", b.Value.Where)))],
            Contract = contract,
            Abort = abort,
            Tables = [.. Tables.Distinct(StringComparer.Ordinal)],
            OldNames = OldNames,
        };
    }

    // INSERT: when the new side is NULL it takes up(old); otherwise the new release wrote it (the old release
    // does not know the column) and the old side takes down(new). UPDATE: the side that changed wins.
    // A BEFORE trigger only assigns NEW, so there is no recursion.
    private string SyncFunction(EcTable table, List<EcPair> pairs, List<string> fills)
    {
        var insert = new List<string>();
        var update = new List<string>();
        foreach (var p in pairs)
        {
            var (o, n) = ("NEW." + Q(p.Old), "NEW." + Q(p.New));
            insert.Add(p.Down is null
                ? $"IF {n} IS NULL THEN {n} := {p.Up}; END IF;"
                : $"IF {n} IS NULL THEN {n} := {p.Up}; ELSE {o} := {p.Down}; END IF;");
            var oldChanged = $"{o} IS DISTINCT FROM OLD.{Q(p.Old)}";
            var newChanged = $"{n} IS DISTINCT FROM OLD.{Q(p.New)}";
            update.Add(p.Down is null
                ? $"IF {oldChanged} THEN {n} := {p.Up}; END IF;"
                : $"IF {oldChanged} AND NOT {newChanged} THEN {n} := {p.Up}; ELSIF {newChanged} AND NOT {oldChanged} THEN {o} := {p.Down}; END IF;");
        }

        var body = $"""
            BEGIN
              IF TG_OP = 'INSERT' THEN
                {string.Join("\n    ", insert)}
              ELSE
                {string.Join("\n    ", update)}
              END IF;
              {string.Join("\n  ", fills)}
              RETURN NEW;
            END
            """;
        var tag = "$sw$";
        for (var i = 0; body.Contains(tag, StringComparison.Ordinal); i++)
        {
            tag = "$sw" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "$";
        }

        return $"CREATE OR REPLACE FUNCTION {FunctionName(table)}() RETURNS trigger LANGUAGE plpgsql AS {tag}\n{body}\n{tag}";
    }
}
