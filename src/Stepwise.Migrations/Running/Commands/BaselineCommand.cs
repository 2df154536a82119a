using System.Globalization;
using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Commands;

/// <summary><c>baseline</c>: records versions as applied without running them: up to V, or what another tool's
/// history table says it applied (<c>--from</c>, see <see cref="ForeignTools"/>).</summary>
internal static class BaselineCommand
{
    public static async Task<RunResult> RunAsync(RunnerSession session, string? version, ForeignTool? from, CancellationToken ct)
    {
        if (session.Journal.Count > 0)
        {
            return RunResult.Stopped(new JournalNotEmpty());
        }

        var set = session.Set;
        if (version is not null && !set.HasVersion(version))
        {
            return RunResult.Stopped(new UnknownVersion(version));
        }

        var versioned = set.Versioned.Where(m => m.Kind == MigrationKind.Versioned).ToList(); // never a Flyway B script
        List<Migration> toRecord;
        IReadOnlyList<string> unmatched = [];
        if (from is not null)
        {
            var history = session.Options.HistoryTable is { } table ? from.History.WithTable(table) : from.History;
            var foreign = await session.Engine.Catalog.ReadForeignHistoryAsync(history, ct).ConfigureAwait(false);
            if (foreign is null)
            {
                return RunResult.Stopped(new NoForeignHistory(from.Name, session.Target.Redacted));
            }

            if (from.Match == ForeignMatch.CurrentVersion && foreign.Count == 0)
            {
                return RunResult.Stopped(new ForeignHistoryDirty());
            }

            (toRecord, unmatched) = Match(set, versioned, foreign, from.Match);
        }
        else
        {
            var key = version is null ? versioned.LastOrDefault()?.OrderKey : VersionKey.Parse(set.Layout, version);
            toRecord = key is null ? [] : versioned.Where(m => m.OrderKey.CompareTo(key) <= 0).ToList();
        }

        foreach (var m in toRecord)
        {
            await session.Engine.Journal.WriteAsync(new JournalEntry { Version = m.Version, Name = m.Name, Checksum = MigrationSet.Checksum(m.Up), State = JournalState.Applied, AppliedAt = DateTimeOffset.UtcNow, AppliedBy = session.Options.AppliedBy + " (baseline)" }, ct).ConfigureAwait(false);
        }

        return new RunResult(RunOutcome.Ok) { Notes = [new Baselined(toRecord.Count, from?.Name, unmatched, session.Options.Directory)] };
    }

    /// <summary>The migrations another tool's history names, and the history's versions with no file here
    /// (said, not silently dropped: the schema has changes no file here describes).</summary>
    internal static (List<Migration> Matched, IReadOnlyList<string> Unmatched) Match(MigrationSet set, List<Migration> versioned, IReadOnlyList<string> foreign, ForeignMatch match)
    {
        switch (match)
        {
            case ForeignMatch.CurrentVersion when foreign.Count == 1:
            {
                var current = VersionKey.Parse(set.Layout, foreign[0]);
                var matched = versioned.Where(m => m.OrderKey.CompareTo(current) <= 0).ToList();
                return (matched, versioned.Any(m => m.OrderKey == current) ? [] : [foreign[0]]);
            }

            case ForeignMatch.JournalWhen:
            {
                static long? When(string v) => decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? decimal.ToInt64(decimal.Truncate(d)) : null;
                var whens = foreign.Select(When).ToHashSet();
                var matched = versioned.Where(m => m.JournalWhen is { } when && whens.Contains(when)).ToList();
                return (matched, foreign.Where(v => When(v) is not { } w || !matched.Any(m => m.JournalWhen == w)).ToList());
            }

            default:
            {
                static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
                // a row names a migration by its version (as the layout orders it, or as written), its file's stem
                // ({version}_{name}: Kysely) or its file's name (sql-migrate, DbUp)
                bool Names(Migration m, string v) =>
                    m.OrderKey == VersionKey.Parse(set.Layout, v) || string.Equals(m.Version, v, StringComparison.Ordinal)
                    || string.Equals(m.Version + "_" + m.Name, v, StringComparison.Ordinal) || string.Equals(FileName(m.Up.Path), v, StringComparison.Ordinal);
                var matched = versioned.Where(m => foreign.Any(v => Names(m, v))).ToList();
                var unmatched = foreign.Where(v => !matched.Any(m => Names(m, v))).ToList();
                return (matched, unmatched);
            }
        }
    }
}
