using Stepwise.Engines;
using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// What the runner decides before it changes anything: refusals (out of order, lint, changed checksum, lock
/// busy), dry runs, and baselining from another tool's history. Transcripts show that nothing ran.
/// </summary>
public sealed class PlanTranscriptTests
{
    private const string CreateUsers = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n";

    [Fact]
    public async Task Out_of_order_is_refused_until_allowed()
    {
        using var s = new Scenario("out_of_order_refusal");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_add_name.up.sql", "ALTER TABLE users ADD COLUMN name text;\n")
            .File("0003_add_bio.up.sql", "ALTER TABLE users ADD COLUMN bio text;\n").Journaled("0003", "add_bio", JournalState.Applied);

        var refused = await s.UpAsync();
        s.Options = s.Options with { AllowOutOfOrder = true };
        var allowed = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, refused.Outcome);
        Assert.Equal(new OutOfOrder("0002", "add_name"), Assert.Single(refused.Problems));
        Assert.Null(refused.Failure);
        Assert.Empty(refused.Done);
        Assert.Equal(RunOutcome.Ok, allowed.Outcome);
        Assert.Equal(["0002"], allowed.Done);
        s.Verify();
    }

    [Fact]
    public async Task Lint_refuses_a_blocking_index_build_on_an_existing_table()
    {
        using var s = new Scenario("lint_refusal");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_email_index.up.sql", "CREATE INDEX users_email_idx ON users (email);\n");

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, up.Outcome);
        var refusal = Assert.IsType<LintRefused>(Assert.Single(up.Problems));
        var finding = Assert.Single(refusal.Report.Findings);
        Assert.EndsWith("0002_email_index.up.sql", finding.Path, StringComparison.Ordinal);
        Assert.Equal(Stepwise.Analysis.Reporting.Severity.Error, finding.Severity);
        Assert.Null(up.Failure);
        Assert.False(s.Database.Journal.ContainsKey("0002"));
        Assert.DoesNotContain("BEGIN", s.Transcript.Lines);
        s.Verify();
    }

    [Fact]
    public async Task A_changed_checksum_is_refused_until_repair_accepts_it()
    {
        using var s = new Scenario("changed_checksum_refusal");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied, checksum: "0badc0ffee0badc0ffee0badc0ffee0badc0ffee0badc0ffee0badc0ffee0bad")
            .File("0002_add_name.up.sql", "ALTER TABLE users ADD COLUMN name text;\n");

        var refused = await s.UpAsync();
        var repair = await s.RepairAsync();
        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, refused.Outcome);
        var changed = Assert.IsType<ChangedFile>(Assert.Single(refused.Problems));
        Assert.Equal(("0001", "create_users", "0badc0ffee0badc0ffee0badc0ffee0badc0ffee0badc0ffee0badc0ffee0bad", Checksums.Sha256Normalized(CreateUsers)), (changed.Version, changed.Name, changed.Recorded, changed.Current));
        Assert.Empty(refused.Done);
        Assert.Equal(new AcceptedChecksum("0001", "create_users"), Assert.Single(repair.Notes));
        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0002"], up.Done);
        s.Verify();
    }

    [Fact]
    public async Task A_busy_migration_lock_stops_up_and_status_shows_who_runs()
    {
        using var s = new Scenario("migration_lock_busy");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_email_index.up.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n").Journaled("0002", "email_index", JournalState.Running);
        s.Database.LockHeldBy = new LockHolder(4242, "stepwise", "active", 95, "CREATE INDEX CONCURRENTLY users_email_idx ON users (email)");

        var up = await s.UpAsync();
        var status = await s.StatusAsync();

        Assert.Equal(RunOutcome.ActionNeeded, up.Outcome);
        var busy = Assert.IsType<LockBusy>(Assert.Single(up.Problems));
        Assert.Equal(("postgres://deploy:***@db.test:5432/app", TimeSpan.FromSeconds(2), 4242L), (busy.Target, busy.Waited, busy.Holder?.SessionId));
        Assert.Contains(s.Events, e => e.Kind == RunnerEventKind.Waiting && e.Wait?.What == LockKind.MigrationLock);
        Assert.DoesNotContain("unlock", s.Transcript.Lines);

        Assert.Equal(RunOutcome.Ok, status.Outcome);
        Assert.Equal(MigrationStatusKind.Running, status.Statuses.Single(st => st.Version == "0002").State);
        Assert.Equal(4242L, status.RunningUnder?.SessionId);
        s.Verify();
    }

    [Fact]
    public async Task Baseline_from_another_tools_history_then_up()
    {
        using var s = new Scenario("baseline_from_golang_migrate");
        s.File("0001_create_users.up.sql", CreateUsers)
            .File("0002_add_name.up.sql", "ALTER TABLE users ADD COLUMN name text;\n")
            .File("0003_add_bio.up.sql", "ALTER TABLE users ADD COLUMN bio text;\n");
        s.Database.ForeignHistory["schema_migrations"] = ["2"];

        var baseline = await s.BaselineFromAsync("golang-migrate");
        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, baseline.Outcome);
        var note = Assert.IsType<Baselined>(Assert.Single(baseline.Notes));
        Assert.Equal((2, "golang-migrate"), (note.Recorded, note.Tool));
        Assert.Empty(note.Unmatched);
        Assert.Equal(["0001", "0002"], s.Database.Journal.Keys.Take(2));
        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0003"], up.Done);
        s.Verify();
    }

    [Fact]
    public async Task Dry_run_up_shows_each_mode_and_changes_nothing()
    {
        using var s = new Scenario("dry_run_up");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_add_name.up.sql", "ALTER TABLE users ADD COLUMN display_name text;\n")
            .File("0003_email_index.up.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n")
            .File("0004_backfill_name.up.sql", "-- stepwise:backfill batch-size=500\nUPDATE users SET display_name = email WHERE display_name IS NULL;\n");
        s.Database.PrimaryKeys["users"] = [new KeyColumn("id", "bigint")];
        s.Database.RowEstimates["users"] = 120_000;
        s.Options = s.Options with { DryRun = true };

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.True(up.DryRun);
        Assert.Empty(up.Done);
        Assert.Equal(
            [("0002", ExecutionMode.Transaction), ("0003", ExecutionMode.StatementByStatement), ("0004", ExecutionMode.Backfill)],
            up.Plan.Select(p => (p.Version, p.Mode)));
        var backfill = up.Plan[2];
        Assert.Equal((500, 120_000L), (backfill.Backfill?.BatchSize, backfill.BackfillPlan?.EstimatedRows));
        Assert.Null(backfill.BackfillPlan?.Checkpoint);
        Assert.Single(s.Database.Journal);
        Assert.DoesNotContain(s.Transcript.Lines, l => l.StartsWith("journal write", StringComparison.Ordinal) || l.StartsWith("journal ensure", StringComparison.Ordinal) || l == "BEGIN");
        s.Verify();
    }

    [Fact]
    public async Task Dry_run_down_shows_what_would_roll_back()
    {
        using var s = new Scenario("dry_run_down");
        s.File("0001_create_users.up.sql", CreateUsers).File("0001_create_users.down.sql", "DROP TABLE users;\n").Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_email_index.up.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n")
            .File("0002_email_index.down.sql", "DROP INDEX CONCURRENTLY users_email_idx;\n").Journaled("0002", "email_index", JournalState.Applied);
        s.Options = s.Options with { DryRun = true };

        var down = await s.DownAsync(2);

        Assert.Equal(RunOutcome.Ok, down.Outcome);
        Assert.True(down.DryRun);
        Assert.Equal(
            [("0002", MigrationDirection.Down, ExecutionMode.StatementByStatement), ("0001", MigrationDirection.Down, ExecutionMode.Transaction)],
            down.Plan.Select(p => (p.Version, p.Direction, p.Mode)));
        Assert.Equal(2, s.Database.Journal.Count);
        Assert.DoesNotContain(s.Transcript.Lines, l => l.StartsWith("journal delete", StringComparison.Ordinal) || l.StartsWith("DROP", StringComparison.Ordinal));
        s.Verify();
    }
}
