using System.Runtime.CompilerServices;
using Stepwise.Engines;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// One transcript scenario: a migrations folder, a <see cref="RecordingDatabase"/>, and runner commands run
/// through the real <see cref="MigrationRunner"/> facade. Each command writes a "$ command" header, the engine's
/// calls and the runner's events as they happen, and the typed result, to one transcript.
/// </summary>
internal sealed class Scenario : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _name;

    public Scenario(string name, SqlDialect dialect = SqlDialect.PostgreSql)
    {
        _name = name;
        Transcript.Scrub(_folder.Path.Replace('\\', '/'), "<dir>");
        Transcript.Scrub(_folder.Path, "<dir>");
        Database = new RecordingDatabase(Transcript, dialect);
        Target = dialect == SqlDialect.Sqlite
            ? new DatabaseTarget(dialect, string.Empty, 0, "app.db", null, null, new Dictionary<string, string>(), "app.db")
            : new DatabaseTarget(dialect, "db.test", 5432, "app", "deploy", "s3cret", new Dictionary<string, string>(), null);
        Options = new RunnerOptions
        {
            Directory = _folder.Path,
            MaxRetries = 3,
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            RetryMaxDelay = TimeSpan.FromMilliseconds(1),
            LockWait = TimeSpan.FromSeconds(2),
            AppliedBy = "deploy",
        };
    }

    public Transcript Transcript { get; } = new();

    public RecordingDatabase Database { get; }

    public DatabaseTarget Target { get; }

    /// <summary>The options of the next commands (tiny retry delays: the tests stay fast).</summary>
    public RunnerOptions Options { get; set; }

    /// <summary>Every runner event of every command, in order.</summary>
    public List<RunnerEvent> Events { get; } = [];

    /// <summary>A backfill is stopped (as by Ctrl-C) once its checkpoint reaches this many batches.</summary>
    public long? StopAfterBatches { get; set; }

    /// <summary>Writes (or rewrites) a migration file.</summary>
    public Scenario File(string relative, string text)
    {
        _folder.Write(relative, text);
        return this;
    }

    /// <summary>A journal row as an earlier run left it, with the checksum of the file now in the folder.</summary>
    public Scenario Journaled(string version, string name, JournalState state, int statementsDone = 0, string? checksum = null)
    {
        Database.JournalExists = true;
        var file = Directory.GetFiles(_folder.Path, version + "_*.up.sql").Single();
        Database.Journal[version] = new JournalEntry
        {
            Version = version,
            Name = name,
            Checksum = checksum ?? Checksums.Sha256Normalized(System.IO.File.ReadAllText(file)),
            State = state,
            AppliedAt = DateTimeOffset.UnixEpoch,
            AppliedBy = "earlier run",
            StatementsDone = statementsDone,
        };
        return this;
    }

    public Task<RunResult> UpAsync() => RunAsync("up", (r, p, ct) => r.UpAsync(Options, Target, p, ct));

    public Task<RunResult> DownAsync(int count = 1) => RunAsync($"down {count}", (r, p, ct) => r.DownAsync(Options, Target, count, p, ct));

    public Task<RunResult> CompleteAsync(string? version = null, bool force = false, TimeSpan? quietPeriod = null) =>
        RunAsync($"complete{(version is null ? string.Empty : " " + version)}{(force ? " --force" : string.Empty)}", (r, p, ct) => r.CompleteAsync(Options, Target, version, quietPeriod ?? TimeSpan.FromMinutes(15), force, p, ct));

    public Task<RunResult> AbortAsync(string? version = null) =>
        RunAsync($"abort{(version is null ? string.Empty : " " + version)}", (r, p, ct) => r.AbortAsync(Options, Target, version, p, ct));

    public Task<RunResult> RepairAsync() => RunAsync("repair", (r, _, ct) => r.RepairAsync(Options, Target, ct));

    public Task<RunResult> StatusAsync() => RunAsync("status", (r, _, ct) => r.StatusAsync(Options, Target, ct));

    public Task<RunResult> ForceAsync(string version) => RunAsync($"force {version}", (r, _, ct) => r.ForceAsync(Options, Target, version, ct));

    public Task<RunResult> BaselineFromAsync(string tool) => RunAsync($"baseline --from {tool}", (r, _, ct) => r.BaselineAsync(Options, Target, null, tool, ct));

    /// <summary>Compares the transcript with approved/&lt;scenario&gt;.txt.</summary>
    public void Verify([CallerFilePath] string sourceFile = "") => Transcript.Verify(_name, sourceFile);

    public void Dispose()
    {
        Database.Dispose();
        _folder.Dispose();
    }

    private async Task<RunResult> RunAsync(string command, Func<MigrationRunner, IProgress<RunnerEvent>, CancellationToken, Task<RunResult>> run)
    {
        var flags = string.Concat(
            Options.DryRun ? " --dry-run" : string.Empty,
            Options.AllowOutOfOrder ? " --allow-out-of-order" : string.Empty,
            Options.AllowUnsafe ? " --allow-unsafe" : string.Empty,
            Options.TargetVersion is { } to ? " --to " + to : string.Empty);
        Transcript.Add(string.Empty);
        Transcript.Add("$ " + command + flags);
        using var stop = new CancellationTokenSource();
        var progress = new EventRecorder(this, stop);
        var runner = new MigrationRunner(_ => new RecordingEngine(Database));
        var result = await run(runner, progress, stop.Token);
        foreach (var line in ResultText.Lines(result, statuses: command == "status"))
        {
            Transcript.Add(line);
        }

        return result;
    }

    /// <summary>Runner events, synchronously, in the order they happen among the engine's calls.</summary>
    private sealed class EventRecorder(Scenario scenario, CancellationTokenSource stop) : IProgress<RunnerEvent>
    {
        public void Report(RunnerEvent e)
        {
            scenario.Events.Add(e);
            scenario.Transcript.Add("> " + ResultText.Event(e));
            if (e.Kind == RunnerEventKind.BackfillProgress && e.Backfill is { } b && b.Batches == scenario.StopAfterBatches)
            {
                scenario.Transcript.Add("> (Ctrl-C)");
                stop.Cancel();
            }
        }
    }
}
