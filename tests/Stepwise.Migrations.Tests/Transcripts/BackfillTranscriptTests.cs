using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// <c>-- stepwise:backfill</c> migrations: the batches run real SQL on an in-memory SQLite database (recorded as
/// "data: …" lines), with a checkpoint per batch; a stopped backfill resumes from it; a down forgets it.
/// </summary>
public sealed class BackfillTranscriptTests
{
    private const string CreateItems = "CREATE TABLE items (id integer PRIMARY KEY, price integer NOT NULL, qty integer NOT NULL, total integer);\n";
    private const string BackfillTotal = "-- stepwise:backfill batch-size=10\nUPDATE items SET total = price * qty WHERE total IS NULL;\n";

    /// <summary>35 items with no total; 0001 (which created them) applied.</summary>
    private static Scenario Items(string name)
    {
        var s = new Scenario(name, SqlDialect.Sqlite);
        s.Database.Seed(CreateItems + "WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < 35) INSERT INTO items (id, price, qty) SELECT g, g, 2 FROM r;");
        s.Database.PrimaryKeys["items"] = [new KeyColumn("id", "INTEGER")];
        s.Database.RowEstimates["items"] = 35;
        s.File("0001_create_items.up.sql", CreateItems).Journaled("0001", "create_items", JournalState.Applied);
        return s;
    }

    [Fact]
    public async Task A_stopped_backfill_resumes_from_its_checkpoint()
    {
        using var s = Items("backfill_checkpoint_resume");
        s.File("0002_backfill_total.up.sql", BackfillTotal);
        s.StopAfterBatches = 2;

        var stopped = await s.UpAsync();
        Assert.Equal(20, s.Database.Scalar("SELECT count(*) FROM items WHERE total IS NOT NULL"));
        s.StopAfterBatches = null;
        var resumed = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, stopped.Outcome);
        Assert.Null(stopped.Failure);
        var note = Assert.IsType<StoppedBackfill>(Assert.Single(stopped.Notes));
        Assert.Equal(("0002", BackfillOutcome.Stopped, 20L, 2L), (note.Version, note.Backfill.Outcome, note.Backfill.RowsDone, note.Backfill.Batches));

        Assert.Equal(RunOutcome.Ok, resumed.Outcome);
        Assert.Equal(["0002"], resumed.Done);
        var finished = s.Events.Last(e => e.Kind == RunnerEventKind.Finished);
        Assert.Equal((BackfillOutcome.Done, 35L, 4L), (finished.BackfillResult?.Outcome, finished.BackfillResult?.RowsDone, finished.BackfillResult?.Batches));
        Assert.Equal(35, s.Database.Scalar("SELECT count(*) FROM items WHERE total = price * qty"));
        Assert.Equal(JournalState.Applied, s.Database.Journal["0002"].State);
        s.Verify();
    }

    [Fact]
    public async Task Backfill_failures_keep_their_kind_and_a_lost_connection_keeps_its_failure()
    {
        using var s = Items("backfill_failures");
        s.File("0002_backfill_total.up.sql", BackfillTotal);
        s.Database.PrimaryKeys.Remove("items");

        var noKey = await s.UpAsync();
        await s.RepairAsync();
        s.Database.PrimaryKeys["items"] = [new KeyColumn("id", "INTEGER")];
        s.Database.Fail("open data connection", ErrorKind.ConnectionLost, times: 1, sqlState: "08006", message: "server closed the connection unexpectedly");
        var lost = await s.UpAsync();

        // a table without a primary key is the file's problem, not a lost connection
        Assert.Equal(RunOutcome.ActionNeeded, noKey.Outcome);
        var f = Assert.IsType<MigrationFailure>(noKey.Failure);
        Assert.Equal((ExecutionMode.Backfill, ErrorKind.Statement, FailureRecord.Journaled), (f.Mode, f.Kind, f.Record));
        Assert.Contains("has no primary key", f.Message, StringComparison.Ordinal);
        Assert.Equal(BackfillOutcome.InputError, f.Backfill?.Outcome);

        // the session is gone too: the failure is still a typed failure, recorded as not written
        Assert.Equal(RunOutcome.ActionNeeded, lost.Outcome);
        Assert.Empty(lost.Problems);
        var l = Assert.IsType<MigrationFailure>(lost.Failure);
        Assert.Equal(("0002", ExecutionMode.Backfill, ErrorKind.ConnectionLost, "08006", FailureRecord.NotWritten), (l.Version, l.Mode, l.Kind, l.SqlState, l.Record));
        Assert.Equal(JournalState.Running, s.Database.Journal["0002"].State); // the next `up` resumes it
        s.Verify();
    }

    [Fact]
    public async Task A_plain_down_of_a_backfill_forgets_its_checkpoint()
    {
        using var s = Items("backfill_down_plain");
        s.File("0002_backfill_total.up.sql", BackfillTotal).File("0002_backfill_total.down.sql", "UPDATE items SET total = NULL;\n");

        var up = await s.UpAsync();
        var down = await s.DownAsync();

        Assert.Equal((RunOutcome.Ok, RunOutcome.Ok), (up.Outcome, down.Outcome));
        Assert.Equal(["0002"], down.Done);
        Assert.Null(down.Failure);
        Assert.False(s.Database.Journal.ContainsKey("0002"));
        Assert.Equal(0, s.Database.Scalar("SELECT count(*) FROM stepwise_backfills"));
        s.Verify();
    }

    [Fact]
    public async Task A_down_that_is_a_backfill_runs_in_batches_and_forgets_both_checkpoints()
    {
        using var s = Items("backfill_down_backfill");
        s.File("0002_backfill_total.up.sql", BackfillTotal)
            .File("0002_backfill_total.down.sql", "-- stepwise:backfill batch-size=20\nUPDATE items SET total = NULL WHERE total IS NOT NULL;\n");

        var up = await s.UpAsync();
        var down = await s.DownAsync();

        Assert.Equal((RunOutcome.Ok, RunOutcome.Ok), (up.Outcome, down.Outcome));
        Assert.Equal(["0002"], down.Done);
        var finished = s.Events.Last(e => e.Kind == RunnerEventKind.Finished);
        Assert.Equal((MigrationDirection.Down, BackfillOutcome.Done, 35L, 2L), (finished.Direction, finished.BackfillResult?.Outcome, finished.BackfillResult?.RowsDone, finished.BackfillResult?.Batches));
        Assert.Equal(0, s.Database.Scalar("SELECT count(*) FROM items WHERE total IS NOT NULL"));
        Assert.Equal(0, s.Database.Scalar("SELECT count(*) FROM stepwise_backfills"));
        Assert.False(s.Database.Journal.ContainsKey("0002"));
        s.Verify();
    }
}
