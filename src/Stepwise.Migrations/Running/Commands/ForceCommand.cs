using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Commands;

/// <summary><c>force V</c>: every migration up to V is recorded as applied (without running it), every later record
/// is removed. Like golang-migrate's force, for after a manual fix.</summary>
internal static class ForceCommand
{
    public static async Task<RunResult> RunAsync(RunnerSession session, string version, CancellationToken ct)
    {
        var set = session.Set;
        if (!set.HasVersion(version) && !MigrationSet.IsZero(version))
        {
            return RunResult.Stopped(new UnknownVersion(version));
        }

        var key = VersionKey.Parse(set.Layout, version);
        var byVersion = session.Journal.ToDictionary(j => j.Version, StringComparer.Ordinal);
        int recorded = 0, removed = 0;
        foreach (var m in set.Versioned)
        {
            byVersion.TryGetValue(m.Version, out var existing);
            if (m.OrderKey.CompareTo(key) <= 0)
            {
                if (existing is null || existing.State != JournalState.Applied)
                {
                    await session.Engine.Journal.WriteAsync(new JournalEntry { Version = m.Version, Name = m.Name, Checksum = MigrationSet.Checksum(m.Up), State = JournalState.Applied, AppliedAt = DateTimeOffset.UtcNow, AppliedBy = session.Options.AppliedBy + " (force)" }, ct).ConfigureAwait(false);
                    recorded++;
                }
            }
            else if (existing is not null)
            {
                await session.Engine.Journal.DeleteAsync(m.Version, ct).ConfigureAwait(false);
                removed++;
            }
        }

        return new RunResult(RunOutcome.Ok) { Notes = [new Forced(version, recorded, removed)] };
    }
}
