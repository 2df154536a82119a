using Stepwise.Engines;
using Stepwise.Migrations.ExpandContract;
using Stepwise.Migrations.Running;
using Stepwise.Sql;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// <c>-- stepwise:expand-contract</c> migrations through the runner: <c>up</c> plans once and expands (steps with
/// progress, then the backfill on real SQLite rows), <c>complete</c> contracts after the old-name guard,
/// <c>abort</c> and <c>down</c> undo, a crash mid-phase resumes at the first step not recorded (from the stored
/// plan, never planning again), and a later migration touching the table is refused. The engine's plan is a fixed
/// one (its SQL is the engines' tests' business; here the runner's logic is under test).
/// </summary>
public sealed class ExpandContractTranscriptTests
{
    private const string CreateUsers = "CREATE TABLE users (id integer PRIMARY KEY, username text NOT NULL, display_name text);\n";
    private const string Rename = "-- stepwise:expand-contract\nALTER TABLE users RENAME COLUMN username TO display_name;\n";

    private static readonly EcPlan Plan = new()
    {
        Expand =
        [
            new EcStep("add column users.display_name", EcStepKind.Statements, ["ALTER TABLE users ADD COLUMN IF NOT EXISTS display_name text"]),
            new EcStep("sync trigger on users", EcStepKind.Transaction, ["CREATE OR REPLACE FUNCTION _sw_0002_users_sync() RETURNS trigger …", "CREATE OR REPLACE TRIGGER _sw_0002_users_sync BEFORE INSERT OR UPDATE ON users …"]),
            new EcStep("index users_username_idx on display_name", EcStepKind.Statements, ["CREATE INDEX CONCURRENTLY IF NOT EXISTS _sw_0002_users_username_idx ON users (display_name)"]),
        ],
        Backfills = [new EcBackfill("users", "display_name = username", "display_name IS NOT username")],
        Contract =
        [
            new EcStep("drop sync trigger", EcStepKind.Transaction, ["DROP TRIGGER IF EXISTS _sw_0002_users_sync ON users", "DROP FUNCTION IF EXISTS _sw_0002_users_sync()"]),
            new EcStep("drop users.username, rename index", EcStepKind.Transaction, ["ALTER TABLE users DROP COLUMN IF EXISTS username", "ALTER INDEX IF EXISTS _sw_0002_users_username_idx RENAME TO users_username_idx"]),
        ],
        Abort =
        [
            new EcStep("drop sync trigger", EcStepKind.Transaction, ["DROP TRIGGER IF EXISTS _sw_0002_users_sync ON users", "DROP FUNCTION IF EXISTS _sw_0002_users_sync()"]),
            new EcStep("drop index", EcStepKind.Statements, ["DROP INDEX CONCURRENTLY IF EXISTS _sw_0002_users_username_idx"]),
            new EcStep("drop column users.display_name", EcStepKind.Statements, ["ALTER TABLE users DROP COLUMN IF EXISTS display_name"]),
        ],
        Tables = ["users"],
        OldNames = [new EcOldName("users", "username")],
    };

    /// <summary>25 users without display_name; 0001 (which created them) applied; 0002 renames username.</summary>
    private static Scenario Users(string name)
    {
        var s = new Scenario(name, SqlDialect.PostgreSql);
        s.Database.Seed(CreateUsers + "WITH RECURSIVE r(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM r WHERE g < 25) INSERT INTO users (id, username) SELECT g, 'user' || g FROM r;");
        s.Database.PrimaryKeys["users"] = [new KeyColumn("id", "integer")];
        s.Database.RowEstimates["users"] = 25;
        s.Database.ExpandContractPlan = Plan;
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied);
        s.File("0002_rename_username.up.sql", Rename);
        return s;
    }

    private static long Backfilled(Scenario s) => s.Database.Scalar("SELECT count(*) FROM users WHERE display_name = username");

    [Fact]
    public async Task Up_expands_status_says_expanded_and_complete_contracts()
    {
        using var s = Users("ec_up_expand_complete");
        s.Database.OldNameUses = [];

        var up = await s.UpAsync();
        var expanded = s.Database.Journal["0002"];
        var status = await s.StatusAsync();
        var unknown = await s.CompleteAsync("0001");
        var complete = await s.CompleteAsync();
        var again = await s.CompleteAsync();

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0002"], up.Done);
        Assert.Equal(new MigrationExpanded("0002", "rename_username"), Assert.Single(up.Notes));
        Assert.Equal((JournalState.Expanded, 3), (expanded.State, expanded.StatementsDone));
        Assert.Equal(EcPlanJson.Write(Plan), expanded.Plan);
        Assert.Equal(25, Backfilled(s));
        Assert.Equal(1, s.Database.PlanCalls);

        Assert.Equal(RunOutcome.Ok, status.Outcome);
        Assert.Equal(MigrationStatusKind.Expanded, status.Statuses.Single(x => x.Version == "0002").State);

        Assert.Equal(RunOutcome.InputError, unknown.Outcome);
        Assert.Equal(new NotExpanded("0001", JournalState.Applied, "complete"), Assert.Single(unknown.Problems));

        Assert.Equal(RunOutcome.Ok, complete.Outcome);
        Assert.Equal(["0002"], complete.Done);
        Assert.Contains(new MigrationCompleted("0002", "rename_username"), complete.Notes);
        Assert.Equal((JournalState.Applied, 2), (s.Database.Journal["0002"].State, s.Database.Journal["0002"].StatementsDone));

        Assert.Equal(RunOutcome.Ok, again.Outcome);
        Assert.Empty(again.Done);
        s.Verify();
    }

    [Fact]
    public async Task Abort_undoes_the_expand_phase_forgets_the_backfill_and_up_runs_it_again()
    {
        using var s = Users("ec_abort");

        await s.UpAsync();
        var abort = await s.AbortAsync("0002");
        var status = await s.StatusAsync();
        var checkpoints = s.Database.Scalar("SELECT count(*) FROM stepwise_backfills WHERE name = '0002_ec_1'");
        s.Database.Seed("UPDATE users SET display_name = NULL");
        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, abort.Outcome);
        Assert.Equal(["0002"], abort.Done);
        Assert.Equal(new MigrationAborted("0002", "rename_username"), Assert.Single(abort.Notes));
        Assert.Equal(MigrationStatusKind.Pending, status.Statuses.Single(x => x.Version == "0002").State);
        Assert.Equal(0, checkpoints);
        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(25, Backfilled(s)); // the backfill ran again, not "already done"
        Assert.Equal(2, s.Database.PlanCalls); // pending again: planned again
        s.Verify();
    }

    [Fact]
    public async Task Down_of_an_expanded_migration_is_its_abort()
    {
        using var s = Users("ec_down_is_abort");

        await s.UpAsync();
        var down = await s.DownAsync();

        Assert.Equal(RunOutcome.Ok, down.Outcome);
        Assert.Equal(["0002"], down.Done);
        Assert.Equal(new MigrationAborted("0002", "rename_username"), Assert.Single(down.Notes));
        Assert.False(s.Database.Journal.ContainsKey("0002"));
        Assert.Contains(s.Transcript.Lines, l => l.Contains("DROP COLUMN IF EXISTS display_name", StringComparison.Ordinal));
        s.Verify();
    }

    [Fact]
    public async Task A_crash_mid_expand_resumes_at_the_first_step_not_recorded_from_the_stored_plan()
    {
        using var s = Users("ec_resume_mid_expand");
        s.Database.Fail("CREATE INDEX CONCURRENTLY", ErrorKind.ConnectionLost, times: 1);

        var crashed = await s.UpAsync();
        var row = s.Database.Journal["0002"];
        s.Database.ExpandContractPlan = Plan with { Expand = [] }; // a new plan would differ: the stored one must be used
        var resumed = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, crashed.Outcome);
        var f = Assert.IsType<MigrationFailure>(crashed.Failure);
        Assert.Equal((ExecutionMode.ExpandContract, EcPhase.Expand, 2, ErrorKind.ConnectionLost, FailureRecord.NotWritten), (f.Mode, f.Phase, f.StatementIndex, f.Kind, f.Record));
        Assert.Equal((JournalState.Running, 2), (row.State, row.StatementsDone));

        Assert.Equal(RunOutcome.Ok, resumed.Outcome);
        Assert.Equal(1, s.Database.PlanCalls);
        Assert.Equal(JournalState.Expanded, s.Database.Journal["0002"].State);
        Assert.Equal(EcPlanJson.Write(Plan), s.Database.Journal["0002"].Plan);
        var second = s.Transcript.Lines.SkipWhile(l => l != "$ up").Skip(1).SkipWhile(l => l != "$ up").ToList();
        Assert.DoesNotContain(second, l => l.Contains("ADD COLUMN IF NOT EXISTS display_name", StringComparison.Ordinal));
        Assert.DoesNotContain(second, l => l.Contains("CREATE OR REPLACE TRIGGER", StringComparison.Ordinal));
        Assert.Contains(second, l => l.Contains("CREATE INDEX CONCURRENTLY", StringComparison.Ordinal));
        Assert.Equal(25, Backfilled(s));
        s.Verify();
    }

    [Fact]
    public async Task A_crash_mid_complete_resumes_at_the_next_contract_step()
    {
        using var s = Users("ec_resume_mid_complete");
        s.Database.OldNameUses = [];
        await s.UpAsync();
        s.Database.Fail("DROP COLUMN IF EXISTS username", ErrorKind.ConnectionLost, times: 1);

        var crashed = await s.CompleteAsync();
        var row = s.Database.Journal["0002"];
        var status = await s.StatusAsync();
        var resumed = await s.CompleteAsync();

        Assert.Equal(RunOutcome.ActionNeeded, crashed.Outcome);
        Assert.Equal((JournalState.Completing, 1), (row.State, row.StatementsDone));
        Assert.Equal(MigrationStatusKind.Completing, status.Statuses.Single(x => x.Version == "0002").State);
        Assert.Equal(RunOutcome.ActionNeeded, status.Outcome);
        Assert.Equal(RunOutcome.Ok, resumed.Outcome);
        Assert.Equal(JournalState.Applied, s.Database.Journal["0002"].State);
        var second = s.Transcript.Lines.SkipWhile(l => l != "$ status").ToList();
        Assert.DoesNotContain(second, l => l.Contains("DROP TRIGGER", StringComparison.Ordinal));
        Assert.DoesNotContain(second, l => l.StartsWith("old-name uses", StringComparison.Ordinal)); // a started contract is finished, not re-checked
        s.Verify();
    }

    [Fact]
    public async Task A_later_migration_touching_an_expanded_table_is_refused_until_complete()
    {
        using var s = Users("ec_later_migration_refused");
        s.File("0003_create_audit.up.sql", "CREATE TABLE audit (id integer PRIMARY KEY);\n");
        s.File("0004_add_users_email.up.sql", "ALTER TABLE users ADD COLUMN email text;\n");
        s.Database.OldNameUses = [];

        var up = await s.UpAsync();
        var notRun = !s.Database.Journal.ContainsKey("0004");
        await s.CompleteAsync();
        var after = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, up.Outcome);
        Assert.Equal(["0002", "0003"], up.Done);
        Assert.Equal(new TableInFlight("0004", "add_users_email", "users", "0002", "rename_username", JournalState.Expanded), Assert.Single(up.Problems));
        Assert.True(notRun);
        Assert.Equal(RunOutcome.Ok, after.Outcome);
        Assert.Equal(["0004"], after.Done);
        s.Verify();
    }

    [Fact]
    public async Task The_guard_refuses_complete_while_the_old_release_runs_and_force_overrides()
    {
        using var s = Users("ec_guard_force");
        s.Database.OldNameUses = [new EcOldNameUse("SELECT username FROM users WHERE id = $1", 1234, DateTimeOffset.UnixEpoch)];

        await s.UpAsync();
        var refused = await s.CompleteAsync();
        var forced = await s.CompleteAsync(force: true);

        Assert.Equal(RunOutcome.ActionNeeded, refused.Outcome);
        var use = Assert.IsType<OldNamesInUse>(Assert.Single(refused.Problems));
        Assert.Equal(("0002", 1234L), (use.Version, use.Uses.Single().Calls));
        Assert.Equal(RunOutcome.Ok, forced.Outcome);
        Assert.Equal(["0002"], forced.Done);
        Assert.Contains(forced.Notes, n => n is GuardNotChecked { Why: GuardSkip.Forced, Uses.Count: 1 });
        s.Verify();
    }

    [Fact]
    public async Task Where_the_database_cannot_tell_complete_says_so_and_goes_on_and_a_refused_plan_runs_nothing()
    {
        using var s = Users("ec_guard_unavailable_and_refused_plan");
        s.Database.OldNameUsageUnavailable = "pg_stat_statements is not installed";

        await s.UpAsync();
        var complete = await s.CompleteAsync("0002");
        s.File("0003_retype.up.sql", "-- stepwise:expand-contract\nALTER TABLE audit ALTER COLUMN id TYPE bigint;\n");
        s.Database.ExpandContractRefusal = "audit.id is in a primary key";
        var refused = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, complete.Outcome);
        Assert.Contains(new GuardNotChecked(GuardSkip.Unavailable, "pg_stat_statements is not installed", []), complete.Notes, new NoteComparer());
        Assert.Equal(RunOutcome.ActionNeeded, refused.Outcome);
        Assert.Equal(new ExpandContractRefused("0003", "retype", "audit.id is in a primary key"), Assert.Single(refused.Problems));
        Assert.False(s.Database.Journal.ContainsKey("0003"));
        s.Verify();
    }

    private sealed class NoteComparer : IEqualityComparer<RunNote>
    {
        public bool Equals(RunNote? x, RunNote? y) => x is GuardNotChecked a && y is GuardNotChecked b ? (a.Why, a.Detail, a.Uses.Count) == (b.Why, b.Detail, b.Uses.Count) : Equals(x, y);

        public int GetHashCode(RunNote obj) => 0;
    }
}
