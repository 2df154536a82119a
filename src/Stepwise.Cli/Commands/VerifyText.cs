using System.Globalization;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Schema;
using Stepwise.Migrations.Verify;

namespace Stepwise.Cli.Commands;

/// <summary>The words of `verify` and `diff`.</summary>
internal static class VerifyText
{
    public static IEnumerable<string> Lines(VerifyResult result)
    {
        yield return $"scratch database: {result.Scratch} (dropped afterwards)";
        foreach (var m in result.Migrations)
        {
            var problems = result.Problems.Where(p => p.Version == m.Version).ToList();
            var state = problems.Count > 0 ? "PROBLEM" : m.RoundTrip ? "ok" : "applied";
            yield return $"  {state,-8} {m.Version} {m.Name}" + (m.RoundTrip ? " (up, down, up)" : string.Empty);
        }

        foreach (var p in result.Problems.Where(p => result.Migrations.All(m => m.Version != p.Version)).DistinctBy(p => p.Version))
        {
            yield return $"  {"PROBLEM",-8} {p.Version} {p.Name}";
        }

        foreach (var problem in result.Problems)
        {
            yield return string.Empty;
            foreach (var line in Problem(problem))
            {
                yield return line;
            }
        }

        if (result.NotReached > 0)
        {
            yield return string.Empty;
            yield return $"{result.NotReached} later migration(s) not verified: verification stops when a migration cannot run";
        }

        foreach (var note in result.SeedNotes)
        {
            yield return $"note: {note}; its rows were not checked";
        }

        yield return string.Empty;
        var roundTrips = result.Migrations.Count(m => m.RoundTrip);
        yield return result.Problems.Count == 0
            ? $"verify: {roundTrips} migration(s) round-tripped (up, down, up): every down restores the schema and the rows"
            : $"verify: {result.Problems.Count} problem(s) in {result.Problems.Select(p => p.Version).Distinct().Count()} migration(s)";
    }

    private static IEnumerable<string> Problem(VerifyProblem p)
    {
        var head = $"{p.Version} {p.Name}: ";
        switch (p.Kind)
        {
            case VerifyProblemKind.MissingDown:
                yield return head + "no down migration (it cannot be rolled back)";
                break;
            case VerifyProblemKind.DownDoesNotRestore:
                yield return head + "down does not restore the schema (- before up only, + after down only):";
                foreach (var d in p.Differences)
                {
                    yield return "    " + Difference(d);
                }

                break;
            case VerifyProblemKind.RerunDiffers:
                yield return head + "up run again after its down gives another schema (- first up only, + second up only):";
                foreach (var d in p.Differences)
                {
                    yield return "    " + Difference(d);
                }

                break;
            case VerifyProblemKind.DataLost:
                yield return head + "down throws away data that existed before up:";
                foreach (var loss in p.Losses)
                {
                    var parts = new List<string>();
                    if (loss.RowsMissing > 0)
                    {
                        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{loss.RowsMissing} of {loss.RowsBefore} row(s) gone"));
                    }

                    if (loss.ValuesChanged > 0)
                    {
                        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{loss.ValuesChanged} value(s) changed in {string.Join(", ", loss.Columns)}"));
                    }

                    yield return $"    {loss.Table}: {string.Join("; ", parts)}";
                }

                break;
            case VerifyProblemKind.NotRerunnable:
                yield return head + "up fails when run again after its down (the down left something behind):";
                foreach (var line in Run("up", p.Run))
                {
                    yield return "    " + line;
                }

                break;
            case VerifyProblemKind.UpFailed:
                yield return head + "up failed; later migrations were not verified:";
                foreach (var line in Run("up", p.Run))
                {
                    yield return "    " + line;
                }

                break;
            default:
                yield return head + "down failed; later migrations were not verified:";
                foreach (var line in Run("down", p.Run))
                {
                    yield return "    " + line;
                }

                break;
        }
    }

    private static IEnumerable<string> Run(string command, RunResult? run) => run is null ? [] : RunnerText.Lines(command, run);

    public static IEnumerable<string> Lines(DriftResult result)
    {
        var source = result.NoJournal ? $"all {result.Replayed} migration(s) (the database has no Stepwise journal)" : $"the {result.Replayed} applied migration(s)";
        if (result.Differences.Count == 0)
        {
            yield return $"no drift: {result.Database} has the schema that {source} produce";
            yield break;
        }

        yield return $"drift: {result.Database} differs from the schema that {source} produce";
        yield return "(- in the migrations' schema only, + in the live database only)";
        foreach (var d in result.Differences)
        {
            yield return "    " + Difference(d);
        }

        yield return string.Empty;
        yield return $"diff: {result.Differences.Count} difference(s); write a migration for each change made by hand (or undo it)";
    }

    /// <summary>One difference, expected (-) against actual (+).</summary>
    public static string Difference(SchemaDifference d)
    {
        var column = $"{d.Table}.{d.Name}";
        return d.Kind switch
        {
            SchemaChangeKind.TableAdded => $"+ table {d.Table} {d.After}",
            SchemaChangeKind.TableRemoved => $"- table {d.Table} {d.Before}",
            SchemaChangeKind.ColumnAdded => $"+ column {d.Table}.{d.After}",
            SchemaChangeKind.ColumnRemoved => $"- column {d.Table}.{d.Before}",
            SchemaChangeKind.ColumnTypeChanged => $"~ column {column} type: {d.Before} -> {d.After}",
            SchemaChangeKind.ColumnNullabilityChanged => $"~ column {column}: {d.Before} -> {d.After}",
            SchemaChangeKind.ColumnDefaultChanged => $"~ column {column} default: {d.Before ?? "(none)"} -> {d.After ?? "(none)"}",
            SchemaChangeKind.ColumnIdentityChanged => $"~ column {column} identity: {d.Before ?? "(none)"} -> {d.After ?? "(none)"}",
            SchemaChangeKind.IndexAdded => $"+ index {d.Name} on {d.Table}: {d.After}",
            SchemaChangeKind.IndexRemoved => $"- index {d.Name} on {d.Table}: {d.Before}",
            SchemaChangeKind.IndexChanged => $"~ index {d.Name} on {d.Table}: {d.Before} -> {d.After}",
            SchemaChangeKind.ConstraintAdded => $"+ constraint {d.Name} on {d.Table}: {d.After}",
            SchemaChangeKind.ConstraintRemoved => $"- constraint {d.Name} on {d.Table}: {d.Before}",
            SchemaChangeKind.ConstraintChanged => $"~ constraint {d.Name} on {d.Table}: {d.Before} -> {d.After}",
            SchemaChangeKind.TriggerAdded => $"+ trigger {d.Name} on {d.Table}: {d.After}",
            SchemaChangeKind.TriggerRemoved => $"- trigger {d.Name} on {d.Table}: {d.Before}",
            SchemaChangeKind.TriggerChanged => $"~ trigger {d.Name} on {d.Table}: {d.Before} -> {d.After}",
            SchemaChangeKind.EnumAdded => $"+ enum {d.Table} {d.After}",
            SchemaChangeKind.EnumRemoved => $"- enum {d.Table} {d.Before}",
            _ => $"~ enum {d.Table}: {d.Before} -> {d.After}",
        };
    }

    public static string Problem(string command, RunProblem problem) => problem switch
    {
        ReplayFailed p => "replaying the migrations on the scratch database failed: " + string.Join("; ", RunnerText.Lines("up", p.Run)),
        _ => RunnerText.Problem(command, problem),
    };
}
