using Stepwise.Engines;
using Stepwise.Migrations.Planning;

namespace Stepwise.Migrations.Running;

/// <summary>How much of a session a command needs.</summary>
/// <param name="Lock">Take the migration lock (everything that writes).</param>
/// <param name="EnsureJournal">Create or upgrade the journal (not a dry run: it changes nothing).</param>
internal sealed record SessionNeeds(bool Lock, bool EnsureJournal)
{
    public static readonly SessionNeeds ReadOnly = new(false, false);

    public static readonly SessionNeeds Write = new(true, true);
}

/// <summary>
/// The one place that opens a database for a command: loads the folder, connects, takes the migration lock
/// (held by the session that runs the statements), creates or upgrades the journal and reads it. Disposing it
/// releases the lock and closes the connection. Every command runs inside <see cref="RunAsync"/>, which also turns
/// an engine failure outside a migration into a typed problem.
/// </summary>
internal sealed class RunnerSession : IAsyncDisposable
{
    private bool _locked;

    private RunnerSession(IEngine engine, DatabaseTarget target, RunnerOptions options, MigrationSet set, IProgress<RunnerEvent>? progress)
    {
        Engine = engine;
        Target = target;
        Options = options;
        Set = set;
        Progress = progress;
    }

    public IEngine Engine { get; }

    public DatabaseTarget Target { get; }

    public RunnerOptions Options { get; }

    public MigrationSet Set { get; }

    public IProgress<RunnerEvent>? Progress { get; }

    /// <summary>The journal as read when the session opened.</summary>
    public IReadOnlyList<JournalEntry> Journal { get; private set; } = [];

    public static async Task<RunResult> RunAsync(Func<DatabaseTarget, IEngine> engines, RunnerOptions options, DatabaseTarget target, IProgress<RunnerEvent>? progress, SessionNeeds needs, Func<RunnerSession, Task<RunResult>> command, CancellationToken ct)
    {
        var (set, problems) = MigrationSet.Open(options.Directory, options.Layout, target.Dialect);
        if (set is null)
        {
            return RunResult.Stopped(problems);
        }

        var engine = engines(target);
        if (progress is not null && engine.Ability<IDatabaseLockWaits>() is { } waits)
        {
            waits.Waiting = new LockWaitEvents(progress);
        }

        var session = new RunnerSession(engine, target, options, set, progress);
        await using (session.ConfigureAwait(false))
        {
            try
            {
                await engine.ConnectAsync(ct).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                return RunResult.Stopped(new ConnectionFailed(target.Redacted, target.Scrub(ex.Message)));
            }

            progress?.Report(new RunnerEvent(RunnerEventKind.Connected) { Target = target.Redacted, Server = engine.Server.Version });
            try
            {
                if (needs.Lock)
                {
                    var waiting = progress is null ? null : new LockWaitEvents(progress);
                    if (!await engine.Lock.TryAcquireAsync(options.LockWait, waiting, ct).ConfigureAwait(false))
                    {
                        return RunResult.Stopped(new LockBusy(target.Redacted, options.LockWait, await session.HolderAsync(ct).ConfigureAwait(false), engine.Dialect));
                    }

                    session._locked = true;
                    progress?.Report(new RunnerEvent(RunnerEventKind.Locked));
                }

                if (needs.EnsureJournal)
                {
                    await engine.Journal.EnsureAsync(ct).ConfigureAwait(false);
                }

                session.Journal = await engine.Journal.ReadAsync(ct).ConfigureAwait(false);
                return await command(session).ConfigureAwait(false);
            }
            catch (CorruptJournalException ex)
            {
                return RunResult.Stopped(new CorruptJournal(ex.Version, ex.Problem));
            }
            catch (EngineException ex)
            {
                return RunResult.Stopped(new DatabaseError(target.Redacted, ex.Kind, ex.SqlState, target.Scrub(ex.Message)));
            }
        }
    }

    /// <summary>Who holds the migration lock (only for messages: a failure to tell is no failure).</summary>
    public async Task<LockHolder?> HolderAsync(CancellationToken ct)
    {
        try
        {
            var holder = await Engine.Lock.HolderAsync(ct).ConfigureAwait(false);
            return holder is null ? null : holder with { Query = holder.Query is null ? null : Target.Scrub(holder.Query) };
        }
        catch (EngineException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_locked)
        {
            await Engine.Lock.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await Engine.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class LockWaitEvents(IProgress<RunnerEvent> progress) : IProgress<LockWait>
    {
        public void Report(LockWait value) => progress.Report(new RunnerEvent(RunnerEventKind.Waiting) { Wait = value });
    }
}
