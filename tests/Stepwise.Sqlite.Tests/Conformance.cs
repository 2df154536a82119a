using Stepwise.Engines.Conformance;

namespace Stepwise.Sqlite.Tests;

public sealed class SqliteJournalConformance() : JournalConformance(new SqliteTarget());

public sealed class SqliteJournalUpgradeConformance() : JournalUpgradeConformance(new SqliteTarget());

public sealed class SqliteLockConformance() : LockConformance(new SqliteTarget());

public sealed class SqliteErrorConformance() : ErrorConformance(new SqliteTarget());

public sealed class SqliteBackfillSqlConformance() : BackfillSqlConformance(new SqliteTarget());

public sealed class SqliteCatalogConformance() : CatalogConformance(new SqliteTarget());

public sealed class SqliteExecutionConformance() : ExecutionConformance(new SqliteTarget())
{
    [Fact(Skip = "SQLite has no table locks: a transaction waits for the database write lock (up to 30 s, saying so), see DatabaseLockWaitTests")]
    public override Task A_transaction_waiting_on_a_conflicting_lock_fails_as_a_lock_timeout_at_its_statement() => Task.CompletedTask;

    [Fact(Skip = "SQLite has no statement timeout: a statement runs until it ends (the engine bounds only lock waits, with the busy timeout)")]
    public override Task A_statement_running_past_the_statement_timeout_fails_as_a_statement_timeout() => Task.CompletedTask;

    [Fact(Skip = "SQLite has no server session to end: the engine opens a file in this process")]
    public override Task A_session_ended_by_the_server_fails_as_connection_lost() => Task.CompletedTask;
}
