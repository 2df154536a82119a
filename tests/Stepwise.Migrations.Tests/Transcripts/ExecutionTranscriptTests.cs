using Stepwise.Engines;
using Stepwise.Migrations.Running;

namespace Stepwise.Migrations.Tests.Transcripts;

/// <summary>
/// How the runner drives an engine when it applies migrations: transactions, statement by statement with resume,
/// lock-timeout retries, failures and their records, invalid-index cleanup. Each scenario's engine calls are
/// compared with an approved transcript (approved/&lt;scenario&gt;.txt), and its typed result is asserted.
/// </summary>
public sealed class ExecutionTranscriptTests
{
    private const string CreateUsers = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n";

    [Fact]
    public async Task Transactional_up()
    {
        using var s = new Scenario("transactional_up");
        s.File("0001_create_users.up.sql", CreateUsers)
            .File("0002_add_name.up.sql", "ALTER TABLE users ADD COLUMN name text;\nCOMMENT ON COLUMN users.name IS 'display name';\n");

        var up = await s.UpAsync();
        var status = await s.StatusAsync();

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0001", "0002"], up.Done);
        Assert.Null(up.Failure);
        Assert.Empty(up.Problems);
        Assert.Equal(RunOutcome.Ok, status.Outcome);
        Assert.All(status.Statuses, st => Assert.Equal(MigrationStatusKind.Applied, st.State));
        Assert.All(s.Database.Journal.Values, j => Assert.Equal((JournalState.Applied, 0), (j.State, j.StatementsDone)));
        s.Verify();
    }

    [Fact]
    public async Task Statement_by_statement_resumes_after_a_lost_connection()
    {
        using var s = new Scenario("statement_by_statement_resume");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_user_indexes.up.sql", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCREATE INDEX CONCURRENTLY users_created_idx ON users (created_at);\nANALYZE users;\n");
        s.Database.Fail("users_created_idx", ErrorKind.ConnectionLost, times: 1).LeavesInvalidIndex = "users_created_idx";

        var first = await s.UpAsync();
        var second = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, first.Outcome);
        Assert.Empty(first.Done);
        var f = Assert.IsType<MigrationFailure>(first.Failure);
        Assert.Equal(("0002", ExecutionMode.StatementByStatement, 1, 3, ErrorKind.ConnectionLost, "57P01"), (f.Version, f.Mode, f.StatementIndex, f.StatementCount, f.Kind, f.SqlState));
        Assert.Equal((1, 0, FailureRecord.NotWritten), (f.StatementsApplied, f.Retries, f.Record));
        Assert.Contains("users_created_idx", f.Statement, StringComparison.Ordinal);

        Assert.Equal(RunOutcome.Ok, second.Outcome);
        Assert.Equal(["0002"], second.Done);
        Assert.Equal((JournalState.Applied, 3), (s.Database.Journal["0002"].State, s.Database.Journal["0002"].StatementsDone));
        Assert.Empty(s.Database.InvalidIndexes);
        s.Verify();
    }

    [Fact]
    public async Task Lock_timeout_is_retried_with_backoff_then_succeeds()
    {
        using var s = new Scenario("lock_timeout_retry_then_success");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_add_last_seen.up.sql", "ALTER TABLE users ADD COLUMN last_seen timestamptz;\n");
        s.Database.Fail("last_seen", ErrorKind.LockTimeout, times: 2);

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0002"], up.Done);
        Assert.Null(up.Failure);
        Assert.Equal(JournalState.Applied, s.Database.Journal["0002"].State);
        s.Verify();
    }

    [Fact]
    public async Task Lock_timeout_retries_exhausted_in_a_transaction_leave_the_journal_untouched()
    {
        using var s = new Scenario("lock_timeout_retries_exhausted");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_add_last_seen.up.sql", "ALTER TABLE users ADD COLUMN last_seen timestamptz;\nALTER TABLE users ADD COLUMN last_ip inet;\n");
        s.Database.Fail("last_ip", ErrorKind.LockTimeout);

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, up.Outcome);
        var f = Assert.IsType<MigrationFailure>(up.Failure);
        Assert.Equal(("0002", ExecutionMode.Transaction, 1, ErrorKind.LockTimeout, "55P03"), (f.Version, f.Mode, f.StatementIndex, f.Kind, f.SqlState));
        Assert.Equal((0, 3, FailureRecord.Untouched), (f.StatementsApplied, f.Retries, f.Record));
        Assert.False(s.Database.Journal.ContainsKey("0002"));
        s.Verify();
    }

    [Fact]
    public async Task Lock_timeout_retries_exhausted_statement_by_statement_are_journaled()
    {
        using var s = new Scenario("lock_timeout_retries_exhausted_statement_by_statement");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_email_index.up.sql", "-- stepwise:no-transaction\nALTER TABLE users ADD COLUMN verified boolean;\nALTER TABLE users ALTER COLUMN verified SET DEFAULT false;\n");
        s.Database.Fail("SET DEFAULT", ErrorKind.LockTimeout);

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, up.Outcome);
        var f = Assert.IsType<MigrationFailure>(up.Failure);
        Assert.Equal((ExecutionMode.StatementByStatement, 1, 2, ErrorKind.LockTimeout), (f.Mode, f.StatementIndex, f.StatementCount, f.Kind));
        Assert.Equal((1, 3, FailureRecord.Journaled), (f.StatementsApplied, f.Retries, f.Record));
        var row = s.Database.Journal["0002"];
        Assert.Equal((JournalState.Failed, 1, 1), (row.State, row.StatementsDone, row.FailedStatementIndex));
        Assert.StartsWith("lock not granted after 3 retries", row.Error, StringComparison.Ordinal);
        s.Verify();
    }

    [Fact]
    public async Task A_failure_then_repair_then_up()
    {
        using var s = new Scenario("failure_repair_up");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_profile.up.sql", "ALTER TABLE users ADD COLUMN bio text;\nALTER TABLE users ADD COLUMN nickname txt;\n");
        s.Database.Fail("nickname txt", ErrorKind.Statement, sqlState: "42704", message: "type \"txt\" does not exist");

        var failed = await s.UpAsync();
        var refused = await s.UpAsync();
        s.File("0002_profile.up.sql", "ALTER TABLE users ADD COLUMN bio text;\nALTER TABLE users ADD COLUMN nickname text;\n");
        var repair = await s.RepairAsync();
        var up = await s.UpAsync();

        var f = Assert.IsType<MigrationFailure>(failed.Failure);
        Assert.Equal((ExecutionMode.Transaction, 1, ErrorKind.Statement, "42704", "type \"txt\" does not exist"), (f.Mode, f.StatementIndex, f.Kind, f.SqlState, f.Message));
        Assert.Equal((0, 0, FailureRecord.Journaled), (f.StatementsApplied, f.Retries, f.Record));

        Assert.Equal(RunOutcome.ActionNeeded, refused.Outcome);
        var earlier = Assert.IsType<EarlierFailure>(Assert.Single(refused.Problems));
        Assert.Equal(("0002", 1, "type \"txt\" does not exist"), (earlier.Version, earlier.Entry.FailedStatementIndex, earlier.Entry.Error));

        Assert.Equal(RunOutcome.Ok, repair.Outcome);
        Assert.Equal(new ClearedFailure("0002", "profile"), Assert.Single(repair.Notes));

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0002"], up.Done);
        Assert.Equal(JournalState.Applied, s.Database.Journal["0002"].State);
        s.Verify();
    }

    [Fact]
    public async Task A_failure_inside_the_files_own_transaction_rolls_it_back_and_resumes_at_its_BEGIN()
    {
        using var s = new Scenario("own_transaction_failure");
        const string file = "ALTER TABLE users ADD COLUMN bio text;\nBEGIN;\nALTER TABLE users ADD COLUMN age integer;\nALTER TABLE users ADD COLUMN nickname txt;\nCOMMIT;\n";
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_profile.up.sql", file);
        s.Database.Fail("nickname txt", ErrorKind.Statement, sqlState: "42704", message: "type \"txt\" does not exist");

        var failed = await s.UpAsync();
        s.File("0002_profile.up.sql", file.Replace("nickname txt", "nickname text", StringComparison.Ordinal));
        var repair = await s.RepairAsync();
        var up = await s.UpAsync();

        // the file's transaction (statements 2–4) rolled back: only statement 1 stays applied, and that is journaled
        var f = Assert.IsType<MigrationFailure>(failed.Failure);
        Assert.Equal((ExecutionMode.StatementByStatement, 3, 5), (f.Mode, f.StatementIndex, f.StatementCount));
        Assert.Equal((1, 1, FailureRecord.Journaled), (f.StatementsApplied, f.RolledBackFrom, f.Record));
        Assert.Equal(new WillResume("0002", "profile", 1), Assert.Single(repair.Notes));
        Assert.Equal(["0002"], up.Done);
        Assert.Equal((JournalState.Applied, 5), (s.Database.Journal["0002"].State, s.Database.Journal["0002"].StatementsDone));
        s.Verify();
    }

    [Fact]
    public async Task A_failure_at_commit_names_no_statement()
    {
        using var s = new Scenario("failure_at_commit");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO orders (id, user_id) VALUES (1, 42);\n");
        s.Database.Fail("COMMIT", ErrorKind.Statement, sqlState: "23503", message: "insert or update on table \"orders\" violates foreign key constraint \"orders_user_id_fkey\"");

        var failed = await s.UpAsync();
        var refused = await s.UpAsync();

        // the deferred constraint fails at COMMIT: neither statement of the file is to blame
        Assert.Equal(RunOutcome.ActionNeeded, failed.Outcome);
        var f = Assert.IsType<MigrationFailure>(failed.Failure);
        Assert.Equal(("0002", ExecutionMode.Transaction, ErrorKind.Statement, "23503"), (f.Version, f.Mode, f.Kind, f.SqlState));
        Assert.Null(f.StatementIndex);
        Assert.Null(f.Statement);
        Assert.Equal((2, 0, FailureRecord.Journaled), (f.StatementCount, f.StatementsApplied, f.Record));
        var row = s.Database.Journal["0002"];
        Assert.Equal(JournalState.Failed, row.State);
        Assert.Null(row.FailedStatementIndex);
        Assert.Null(row.FailedStatement);
        var earlier = Assert.IsType<EarlierFailure>(Assert.Single(refused.Problems));
        Assert.Null(earlier.Entry.FailedStatementIndex);
        s.Verify();
    }

    [Fact]
    public async Task A_lost_connection_in_a_transaction_leaves_the_journal_untouched()
    {
        using var s = new Scenario("connection_lost_transactional");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_orders.up.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);\nALTER TABLE users ADD COLUMN orders_count integer;\n");
        s.Database.Fail("orders_count", ErrorKind.ConnectionLost, times: 1);

        var lost = await s.UpAsync();
        Assert.False(s.Database.Journal.ContainsKey("0002"));
        var again = await s.UpAsync();

        Assert.Equal(RunOutcome.ActionNeeded, lost.Outcome);
        var f = Assert.IsType<MigrationFailure>(lost.Failure);
        Assert.Equal((ExecutionMode.Transaction, 1, ErrorKind.ConnectionLost, 0, FailureRecord.Untouched), (f.Mode, f.StatementIndex, f.Kind, f.StatementsApplied, f.Record));
        Assert.Equal(RunOutcome.Ok, again.Outcome);
        Assert.Equal(["0002"], again.Done);
        s.Verify();
    }

    [Fact]
    public async Task An_interrupted_run_resumes_and_skips_a_first_statement_that_already_exists()
    {
        using var s = new Scenario("interrupted_resume_already_exists");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_plans.up.sql", "-- stepwise:no-transaction\nALTER TABLE users ADD COLUMN plan text;\nCREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);\nALTER TABLE users ADD COLUMN plan_id bigint;\n")
            .Journaled("0002", "plans", JournalState.Running, statementsDone: 1);

        // the killed run created the table but died before journaling it
        s.Database.Fail("CREATE TABLE plans", ErrorKind.AlreadyExists, times: 1, message: "relation \"plans\" already exists");

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0002"], up.Done);
        Assert.Null(up.Failure);
        Assert.Equal((JournalState.Applied, 3), (s.Database.Journal["0002"].State, s.Database.Journal["0002"].StatementsDone));
        s.Verify();
    }

    [Fact]
    public async Task An_invalid_index_is_dropped_before_a_retried_concurrent_build()
    {
        using var s = new Scenario("invalid_index_cleanup_before_retry");
        s.File("0001_create_users.up.sql", CreateUsers).Journaled("0001", "create_users", JournalState.Applied)
            .File("0002_email_index.up.sql", "CREATE UNIQUE INDEX CONCURRENTLY users_email_idx ON users (email);\n");
        s.Database.Fail("users_email_idx", ErrorKind.LockTimeout, times: 1).LeavesInvalidIndex = "users_email_idx";

        var up = await s.UpAsync();

        Assert.Equal(RunOutcome.Ok, up.Outcome);
        Assert.Equal(["0002"], up.Done);
        Assert.Empty(s.Database.InvalidIndexes);
        Assert.Equal(JournalState.Applied, s.Database.Journal["0002"].State);

        // the retry event names the lock timeout that expired: a concurrent build waits the weak-lock timeout
        var retry = Assert.Single(s.Events, e => e.Kind == RunnerEventKind.Retrying);
        Assert.Equal((0, 1, TimeSpan.FromSeconds(30)), (retry.StatementIndex, retry.Attempt, retry.LockTimeout));
        s.Verify();
    }
}
