using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Schema;

namespace Stepwise.Migrations.Verify;

/// <summary>
/// `verify`: on a scratch database, applies the history and, for each migration (or only those not applied on a
/// live database), seeds the tables, snapshots, runs up, snapshots, runs down, compares with the first snapshot
/// (schema and the seeded rows), runs up again and compares with the second. Ups and downs run through
/// <see cref="MigrationRunner"/>, exactly as `up` and `down` run them (journal, transactions, CONCURRENTLY outside
/// one, backfills), with the lint gate open: verify tests the scripts, lint judges them.
/// </summary>
/// <param name="engines">Makes the engine for a target.</param>
public sealed class MigrationVerifier(Func<DatabaseTarget, IEngine> engines)
{
    private readonly MigrationRunner _runner = new(engines);

    /// <summary>Verifies the folder's migrations on <paramref name="scratch"/> (an empty database).</summary>
    /// <param name="options">The folder and layout (timeouts as for `up`).</param>
    /// <param name="scratch">An empty database that verify may change at will.</param>
    /// <param name="applied">Versions applied on the live database: those are only applied, the others
    /// round-tripped (`--pending`); null round-trips every migration.</param>
    /// <param name="progress">Told what runs.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public async Task<VerifyResult> VerifyAsync(RunnerOptions options, DatabaseTarget scratch, IReadOnlySet<string>? applied, IProgress<VerifyEvent>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scratch);
        var (set, problems) = MigrationSet.Open(options.Directory, options.Layout, scratch.Dialect);
        if (set is null)
        {
            return new VerifyResult(VerifyOutcome.InputError) { InputProblems = problems, Scratch = scratch.Redacted };
        }

        var run = ScratchOptions(options, scratch);
        await using var observer = await Observer.OpenAsync(engines, scratch, cancellationToken).ConfigureAwait(false);
        if (observer.Problem is { } connect)
        {
            return new VerifyResult(VerifyOutcome.InputError) { InputProblems = [connect], Scratch = scratch.Redacted };
        }

        var found = new List<VerifyProblem>();
        var done = new List<VerifiedMigration>();
        var seedNotes = new SortedSet<string>(StringComparer.Ordinal);
        var migrations = set.Versioned.Where(m => m.Kind == MigrationKind.Versioned).ToList();
        VerifyResult Result(int reached) => new(found.Count == 0 ? VerifyOutcome.Clean : VerifyOutcome.Problems)
        {
            Problems = found,
            Migrations = done,
            NotReached = migrations.Count - reached,
            SeedNotes = [.. seedNotes],
            Scratch = scratch.Redacted,
        };

        for (var index = 0; index < migrations.Count; index++)
        {
            var m = migrations[index];
            var roundTrip = applied is null || !applied.Contains(m.Version);
            var before = await observer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (var note in await observer.Data.SeedAsync(before, cancellationToken).ConfigureAwait(false))
            {
                seedNotes.Add(note);
            }

            var rowsBefore = new List<TableRows>();
            if (roundTrip)
            {
                foreach (var table in before.Tables.Where(t => !t.IsView))
                {
                    if (await observer.Data.ReadAsync(table, cancellationToken).ConfigureAwait(false) is { } rows)
                    {
                        rowsBefore.Add(rows);
                    }
                }
            }

            progress?.Report(new VerifyEvent(m.Version, m.Name, roundTrip ? "up" : "apply"));
            var up = await _runner.UpAsync(run with { TargetVersion = m.Version }, scratch, null, cancellationToken).ConfigureAwait(false);
            if (up.Outcome != RunOutcome.Ok)
            {
                if (up.Problems.Any(p => p.IsInputError))
                {
                    return new VerifyResult(VerifyOutcome.InputError) { InputProblems = up.Problems, Scratch = scratch.Redacted };
                }

                found.Add(new VerifyProblem(VerifyProblemKind.UpFailed, m.Version, m.Name) { Run = up });
                return Result(index);
            }

            if (!roundTrip)
            {
                done.Add(new VerifiedMigration(m.Version, m.Name, false));
                continue;
            }

            if (m.Down is null || string.IsNullOrWhiteSpace(m.Down.Text))
            {
                found.Add(new VerifyProblem(VerifyProblemKind.MissingDown, m.Version, m.Name));
                done.Add(new VerifiedMigration(m.Version, m.Name, false));
                continue;
            }

            var afterUp = await observer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var rowsAfterUp = new Dictionary<string, TableRows?>(StringComparer.Ordinal);
            foreach (var rows in rowsBefore)
            {
                var table = afterUp.Tables.FirstOrDefault(t => t.Name == rows.Table && !t.IsView);
                rowsAfterUp[rows.Table] = table is null ? null : await observer.Data.ReadAsync(table, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new VerifyEvent(m.Version, m.Name, "down"));
            var down = await _runner.DownAsync(run, scratch, 1, null, cancellationToken).ConfigureAwait(false);
            if (down.Outcome != RunOutcome.Ok)
            {
                found.Add(new VerifyProblem(VerifyProblemKind.DownFailed, m.Version, m.Name) { Run = down });
                return Result(index);
            }

            var afterDown = await observer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var restored = SchemaDiff.Compare(before, afterDown);
            if (restored.Count > 0)
            {
                found.Add(new VerifyProblem(VerifyProblemKind.DownDoesNotRestore, m.Version, m.Name) { Differences = restored });
            }

            var losses = new List<DataLoss>();
            foreach (var rows in rowsBefore)
            {
                var table = afterDown.Tables.FirstOrDefault(t => t.Name == rows.Table && !t.IsView);
                var now = table is null ? null : await observer.Data.ReadAsync(table, cancellationToken).ConfigureAwait(false);
                if (rows.LostIn(rowsAfterUp[rows.Table], now) is { } loss)
                {
                    losses.Add(loss);
                }
            }

            if (losses.Count > 0)
            {
                found.Add(new VerifyProblem(VerifyProblemKind.DataLost, m.Version, m.Name) { Losses = losses });
            }

            progress?.Report(new VerifyEvent(m.Version, m.Name, "up again"));
            var again = await _runner.UpAsync(run with { TargetVersion = m.Version }, scratch, null, cancellationToken).ConfigureAwait(false);
            if (again.Outcome != RunOutcome.Ok)
            {
                found.Add(new VerifyProblem(VerifyProblemKind.NotRerunnable, m.Version, m.Name) { Run = again });
                return Result(index + 1);
            }

            var rerun = SchemaDiff.Compare(afterUp, await observer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false));
            if (rerun.Count > 0)
            {
                found.Add(new VerifyProblem(VerifyProblemKind.RerunDiffers, m.Version, m.Name) { Differences = rerun });
            }

            done.Add(new VerifiedMigration(m.Version, m.Name, true));
        }

        return Result(migrations.Count);
    }

    /// <summary>The versions the journal of <paramref name="live"/> records as applied (read-only: nothing is
    /// created there); an empty set when it has no journal.</summary>
    public async Task<(IReadOnlySet<string>? Applied, IReadOnlyList<RunProblem> Problems)> AppliedAsync(RunnerOptions options, DatabaseTarget live, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(live);
        var status = await _runner.StatusAsync(options, live, cancellationToken).ConfigureAwait(false);
        if (status.Problems.Any(p => p.IsInputError) || (status.Outcome == RunOutcome.InputError))
        {
            return (null, status.Problems);
        }

        return (status.Statuses.Where(s => s.Journal is not null && s.State is MigrationStatusKind.Applied or MigrationStatusKind.Changed or MigrationStatusKind.Expanded).Select(s => s.Version).ToHashSet(StringComparer.Ordinal), []);
    }

    /// <summary>`diff`: replays on <paramref name="scratch"/> the migrations <paramref name="live"/>'s journal
    /// records as applied (all of them when it has none) and compares the live schema with the result.
    /// Read-only on the live database.</summary>
    public async Task<DriftResult> DiffAsync(RunnerOptions options, DatabaseTarget live, DatabaseTarget scratch, IProgress<VerifyEvent>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(scratch);
        var (applied, problems) = await AppliedAsync(options, live, cancellationToken).ConfigureAwait(false);
        if (applied is null)
        {
            return new DriftResult(VerifyOutcome.InputError) { InputProblems = problems, Database = live.Redacted };
        }

        var (set, folderProblems) = MigrationSet.Open(options.Directory, options.Layout, scratch.Dialect);
        if (set is null)
        {
            return new DriftResult(VerifyOutcome.InputError) { InputProblems = folderProblems, Database = live.Redacted };
        }

        var noJournal = applied.Count == 0;
        var replay = set.Versioned.Where(m => m.Kind == MigrationKind.Versioned && (noJournal || applied.Contains(m.Version))).ToList();
        if (replay.Count > 0)
        {
            var last = replay[^1];
            progress?.Report(new VerifyEvent(last.Version, last.Name, "replay"));
            var up = await _runner.UpAsync(ScratchOptions(options, scratch) with { TargetVersion = last.Version }, scratch, null, cancellationToken).ConfigureAwait(false);
            if (up.Outcome != RunOutcome.Ok)
            {
                var why = up.Problems.Count > 0 ? up.Problems : [new ReplayFailed(up)];
                return new DriftResult(VerifyOutcome.InputError) { InputProblems = why, Database = live.Redacted };
            }
        }

        SchemaSnapshot expected;
        await using (var observer = await Observer.OpenAsync(engines, scratch, cancellationToken).ConfigureAwait(false))
        {
            if (observer.Problem is { } p)
            {
                return new DriftResult(VerifyOutcome.InputError) { InputProblems = [p], Database = live.Redacted };
            }

            expected = await observer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        SchemaSnapshot actual;
        await using (var observer = await Observer.OpenAsync(engines, live, cancellationToken, withData: false).ConfigureAwait(false))
        {
            if (observer.Problem is { } p)
            {
                return new DriftResult(VerifyOutcome.InputError) { InputProblems = [p], Database = live.Redacted };
            }

            actual = await observer.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        var differences = SchemaDiff.Compare(expected, actual);
        return new DriftResult(differences.Count == 0 ? VerifyOutcome.Clean : VerifyOutcome.Problems)
        {
            Differences = differences,
            Replayed = replay.Count,
            NoJournal = noJournal,
            Database = live.Redacted,
        };
    }

    private static RunnerOptions ScratchOptions(RunnerOptions options, DatabaseTarget scratch) => options with
    {
        AllowUnsafe = true,
        AllowOutOfOrder = true,
        DryRun = false,
        TargetVersion = null,
        Lint = options.Lint with { Dialect = scratch.Dialect },
    };

    /// <summary>A second session on the scratch database: schema snapshots, seeding and reading rows.</summary>
    private sealed class Observer : IAsyncDisposable
    {
        private IEngine? _engine;
        private System.Data.Common.DbConnection? _data;

        public RunProblem? Problem { get; private set; }

        public ISchemaReader Reader { get; private set; } = null!;

        public VerifyData Data { get; private set; } = null!;

        public static async Task<Observer> OpenAsync(Func<DatabaseTarget, IEngine> engines, DatabaseTarget target, CancellationToken ct, bool withData = true)
        {
            var observer = new Observer { _engine = engines(target) };
            try
            {
                await observer._engine.ConnectAsync(ct).ConfigureAwait(false);
                if (observer._engine.Ability<ISchemaReader>() is not { } reader)
                {
                    observer.Problem = new ConnectionFailed(target.Redacted, $"the {target.Dialect} engine cannot read a schema");
                    return observer;
                }

                observer.Reader = reader;
                if (withData)
                {
                    observer._data = await observer._engine.Executor.OpenDataConnectionAsync(ct).ConfigureAwait(false);
                    observer.Data = new VerifyData(observer._data, observer._engine.Backfill, target.Dialect);
                }
            }
            catch (EngineException ex)
            {
                observer.Problem = new ConnectionFailed(target.Redacted, target.Scrub(ex.Message));
            }

            return observer;
        }

        public async ValueTask DisposeAsync()
        {
            if (_data is not null)
            {
                await _data.DisposeAsync().ConfigureAwait(false);
            }

            if (_engine is not null)
            {
                await _engine.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

/// <summary>`diff` could not replay the live database's migrations on the scratch database.</summary>
/// <param name="Run">The runner's result (the failing migration and statement).</param>
public sealed record ReplayFailed(RunResult Run) : RunProblem
{
    /// <inheritdoc/>
    public override bool IsInputError => true;
}
