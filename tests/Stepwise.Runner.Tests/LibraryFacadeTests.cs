using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Running;

namespace Stepwise.Runner.Tests;

/// <summary>`StepwiseMigrations`, the entry point for application code, in-process on SQLite: results, never
/// exceptions, for bad input; up, status, down; a backfill that is cancelled and resumed.</summary>
public sealed class LibraryFacadeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("stepwise-library-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DbPath => Path.Combine(_dir, "app.db");

    private string Url => "sqlite:" + DbPath;

    private long Count(string sql) => new SqliteFile(DbPath).Count(sql);

    [Fact]
    public async Task Up_status_and_down_return_results()
    {
        var migrations = Path.Combine(_dir, "migrations");
        Directory.CreateDirectory(migrations);
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_items.up.sql"), "CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL);\n");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_items.down.sql"), "DROP TABLE items;\n");

        var events = new List<RunnerEvent>();
        var up = await StepwiseMigrations.UpAsync(Url, migrations, new SyncProgress<RunnerEvent>(events.Add));
        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0001"], up.Done);
        Assert.Contains(events, e => e.Kind == RunnerEventKind.Finished && e.Version == "0001");

        var status = await StepwiseMigrations.StatusAsync(Url, migrations);
        Assert.Equal(MigrationStatusKind.Applied, Assert.Single(status.Statuses).State);

        var down = await StepwiseMigrations.DownAsync(Url, migrations);
        Assert.Equal(RunOutcome.Ok, down.Outcome);
        Assert.Equal(0, Count("SELECT count(*) FROM sqlite_master WHERE name = 'items'"));

        var bad = await StepwiseMigrations.UpAsync("ftp://nowhere/db", migrations);
        Assert.Equal(RunOutcome.InputError, bad.Outcome);
        Assert.IsType<InvalidDatabaseUrl>(Assert.Single(bad.Problems));
    }

    [Fact]
    public async Task A_failure_is_a_typed_record_a_caller_can_act_on()
    {
        var migrations = Path.Combine(_dir, "migrations");
        Directory.CreateDirectory(migrations);
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_items.up.sql"), "CREATE TABLE items (id integer PRIMARY KEY);\n");
        await File.WriteAllTextAsync(Path.Combine(migrations, "0002_broken.up.sql"), "INSERT INTO items VALUES (1);\nINSERT INTO no_such_table VALUES (2);\n");

        var up = await StepwiseMigrations.UpAsync(Url, migrations);
        Assert.Equal(RunOutcome.ActionNeeded, up.Outcome);
        Assert.Equal(["0001"], up.Done);
        var failure = Assert.IsType<MigrationFailure>(up.Failure);
        Assert.Equal(("0002", "broken", 1, 2), (failure.Version, failure.Name, failure.StatementIndex, failure.StatementCount));
        Assert.Equal(ErrorKind.DoesNotExist, failure.Kind); // classified by the engine, not by the runner
        Assert.Equal("1", failure.SqlState); // SQLITE_ERROR
        Assert.Contains("no such table", failure.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionMode.Transaction, failure.Mode);
        Assert.Equal(0, failure.StatementsApplied); // rolled back with its transaction
        Assert.Equal(FailureRecord.Journaled, failure.Record);

        // the next `up` stops on the recorded failure, as a typed problem naming the statement
        var again = await StepwiseMigrations.UpAsync(Url, migrations);
        var earlier = Assert.IsType<EarlierFailure>(Assert.Single(again.Problems));
        Assert.Equal(("0002", 1), (earlier.Version, earlier.Entry.FailedStatementIndex));
    }

    [Fact]
    public async Task Backfill_stops_when_cancelled_and_the_same_spec_resumes_it()
    {
        new SqliteFile(DbPath).Execute("CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL, v integer); WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < 5000) INSERT INTO t (id, n) SELECT g, g FROM r;");

        var spec = new BackfillSpec("library", "t", "v = n * 2", null, BatchSize: 100, Sleep: TimeSpan.FromMilliseconds(5));
        using var stop = new CancellationTokenSource();
        var batches = 0;
        var stopped = await StepwiseMigrations.BackfillAsync(Url, spec, new SyncProgress<BackfillProgress>(_ =>
        {
            if (++batches == 3)
            {
                stop.Cancel();
            }
        }), stop.Token);
        Assert.Equal(BackfillOutcome.Stopped, stopped.Outcome);
        Assert.Equal(300, stopped.RowsDone); // the batch in flight finished, no further one started
        Assert.Equal(300, Count("SELECT count(*) FROM t WHERE v = n * 2"));

        var resumed = await StepwiseMigrations.BackfillAsync(Url, spec);
        Assert.Equal(BackfillOutcome.Done, resumed.Outcome);
        Assert.Equal(5000, resumed.RowsDone);
        Assert.Equal(0, Count("SELECT count(*) FROM t WHERE v IS NOT n * 2"));

        var bad = await StepwiseMigrations.BackfillAsync("sqlite:" + Path.Combine(_dir, "no", "such", "dir", "x.db"), spec);
        Assert.Equal(BackfillOutcome.InputError, bad.Outcome);
    }

    /// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
