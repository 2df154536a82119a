using Stepwise.Engines;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running.Commands;

/// <summary><c>repair</c>: after a fix, a failed migration that applied nothing becomes pending again; one that
/// applied some statements resumes at the failed one; changed checksums of applied files are accepted.</summary>
internal static class RepairCommand
{
    public static async Task<RunResult> RunAsync(RunnerSession session, CancellationToken ct)
    {
        var journal = session.Engine.Journal;
        var notes = new List<RunNote>();
        foreach (var s in Planner.Statuses(session.Set, session.Journal))
        {
            if (s.Journal is not { } entry || entry.Plan is not null && entry.State != JournalState.Applied)
            {
                // an expand/contract migration in flight keeps its row (its plan): the same command, or `abort`, goes on
                continue;
            }

            if (entry.State != JournalState.Applied)
            {
                if (entry.StatementsDone == 0 || s.File is null)
                {
                    await journal.DeleteAsync(s.Version, ct).ConfigureAwait(false);
                    notes.Add(new ClearedFailure(s.Version, s.Name));
                }
                else
                {
                    await journal.WriteAsync(entry with { State = JournalState.Running, Checksum = MigrationSet.Checksum(s.File.Up), FailedStatementIndex = null, FailedStatement = null, Error = null }, ct).ConfigureAwait(false);
                    notes.Add(new WillResume(s.Version, s.Name, entry.StatementsDone));
                }
            }
            else if (s.State == MigrationStatusKind.Missing)
            {
                await journal.DeleteAsync(s.Version, ct).ConfigureAwait(false);
                notes.Add(new ForgotMissing(s.Version, s.Name));
            }
            else if (s.State == MigrationStatusKind.Changed)
            {
                await journal.WriteAsync(entry with { Checksum = MigrationSet.Checksum(s.File!.Up) }, ct).ConfigureAwait(false);
                notes.Add(new AcceptedChecksum(s.Version, s.Name));
            }
        }

        return new RunResult(RunOutcome.Ok) { Notes = notes };
    }
}
