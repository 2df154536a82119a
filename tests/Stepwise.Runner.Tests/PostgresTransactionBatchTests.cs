using Npgsql;
using Stepwise.Engines;
using Stepwise.PostgreSql;
using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>
/// A transactional migration goes to PostgreSQL as one pipelined batch (timeouts, statements, journal row);
/// these pin down that it keeps the semantics of running the statements one by one.
/// </summary>
[Collection("postgres")]
public sealed class PostgresTransactionBatchTests(PostgresFixture fixture)
{
    private static readonly ExecutionLimits Limits = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(1));

    private static JournalChange Record(string version) => JournalChange.Record(new JournalEntry
    {
        Version = version,
        Name = "m" + version,
        Checksum = "c",
        State = JournalState.Applied,
    });

    private async Task<(PostgresEngine Engine, string Database)> ConnectAsync(string test)
    {
        var database = new NpgsqlConnectionStringBuilder(await fixture.CreateDatabaseAsync(test)).Database!;
        Assert.True(DatabaseTarget.TryParse(fixture.Server.UrlFor(database), out var target, out var error), error);
        var engine = new PostgresEngine(target!);
        await engine.ConnectAsync(CancellationToken.None);
        await engine.Journal.EnsureAsync(CancellationToken.None);
        return (engine, database);
    }

    private async Task<long> CountAsync(string database, string sql) =>
        Convert.ToInt64(await fixture.Server.ScalarAsync(sql, database), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_batch_command_the_server_has_not_completed_has_an_unknown_type()
    {
        // the engine finds the statement a broken connection interrupted by this (see PostgresEngine.FailedStatement)
        Assert.Equal(StatementType.Unknown, new NpgsqlBatchCommand("SELECT 1").StatementType);
    }

    [Fact]
    public async Task Statements_and_journal_row_commit_together()
    {
        var (engine, database) = await ConnectAsync(nameof(Statements_and_journal_row_commit_together));
        await using (engine)
        {
            await engine.Executor.ExecuteInTransactionAsync(
                ["CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)", "CREATE INDEX t_id ON t (id)"],
                Record("1"),
                Limits,
                CancellationToken.None);

            Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM t"));
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations WHERE version = '1' AND state = 'applied'"));
        }
    }

    [Fact]
    public async Task A_migration_of_many_statements_goes_through_in_one_batch()
    {
        var (engine, database) = await ConnectAsync(nameof(A_migration_of_many_statements_goes_through_in_one_batch));
        await using (engine)
        {
            // far more replies than the socket buffers hold: the batch must not stall writing while the server waits to reply
            var statements = new List<string> { "CREATE TABLE t (id int PRIMARY KEY, note text)" };
            statements.AddRange(Enumerable.Range(1, 20_000).Select(i => $"INSERT INTO t VALUES ({i}, 'row {i}')"));
            await engine.Executor.ExecuteInTransactionAsync(statements, Record("1"), Limits, CancellationToken.None);

            Assert.Equal(20_000, await CountAsync(database, "SELECT count(*) FROM t"));
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));
        }
    }

    [Fact]
    public async Task A_failing_statement_is_named_and_nothing_is_applied()
    {
        var (engine, database) = await ConnectAsync(nameof(A_failing_statement_is_named_and_nothing_is_applied));
        await using (engine)
        {
            var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
                ["CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)", "CREATE TABLE u (id int)"],
                Record("1"),
                Limits,
                CancellationToken.None));

            Assert.Equal(ErrorKind.Statement, ex.Kind);
            Assert.Equal("23505", ex.SqlState);
            Assert.Equal(2, ex.StatementIndex);
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname IN ('t', 'u')"));
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));

            // the connection is usable again: the aborted transaction was rolled back
            await engine.Executor.ExecuteInTransactionAsync(["CREATE TABLE t (id int)"], Record("1"), Limits, CancellationToken.None);
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));
        }
    }

    [Fact]
    public async Task A_failure_at_commit_names_no_statement_and_applies_nothing()
    {
        var (engine, database) = await ConnectAsync(nameof(A_failure_at_commit_names_no_statement_and_applies_nothing));
        await using (engine)
        {
            // a deferred foreign key is checked at COMMIT, after every statement succeeded
            var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
                ["CREATE TABLE p (id int PRIMARY KEY)", "CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED)", "INSERT INTO c VALUES (1)"],
                Record("1"),
                Limits,
                CancellationToken.None));

            Assert.Equal("23503", ex.SqlState);
            Assert.Null(ex.StatementIndex);
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname IN ('p', 'c')"));
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));
            await engine.Executor.ExecuteInTransactionAsync(["CREATE TABLE p (id int)"], Record("1"), Limits, CancellationToken.None);
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));
        }
    }

    [Fact]
    public async Task A_cancelled_migration_is_rolled_back_and_the_connection_stays_usable()
    {
        var (engine, database) = await ConnectAsync(nameof(A_cancelled_migration_is_rolled_back_and_the_connection_stays_usable));
        await using (engine)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.Executor.ExecuteInTransactionAsync(
                ["CREATE TABLE t (id int)", "SELECT pg_sleep(30)"],
                Record("1"),
                Limits,
                cancel.Token));

            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname = 't'"));
            await engine.Executor.ExecuteInTransactionAsync(["CREATE TABLE t (id int)"], Record("1"), Limits, CancellationToken.None);
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname = 't'"));
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));
        }
    }

    [Fact]
    public async Task A_lock_timeout_names_the_waiting_statement()
    {
        var (engine, database) = await ConnectAsync(nameof(A_lock_timeout_names_the_waiting_statement));
        await using (engine)
        {
            await fixture.Server.ExecuteAsync("CREATE TABLE busy (id int)", database);
            await using var holder = new NpgsqlConnection(fixture.Server.ConnectionStringFor(database) + ";Pooling=false");
            await holder.OpenAsync();
            await using var tx = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE", holder, tx))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
                ["CREATE TABLE other (id int)", "ALTER TABLE busy ADD COLUMN note text"],
                Record("1"),
                new ExecutionLimits(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(1)),
                CancellationToken.None));

            Assert.Equal(ErrorKind.LockTimeout, ex.Kind);
            Assert.Equal(1, ex.StatementIndex);
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname = 'other'"));
        }
    }

    [Fact]
    public async Task The_statement_timeout_applies_to_each_statement_not_to_the_batch()
    {
        var (engine, database) = await ConnectAsync(nameof(The_statement_timeout_applies_to_each_statement_not_to_the_batch));
        await using (engine)
        {
            // three 0.4 s statements under a 1 s statement timeout: 1.2 s in all, each well within its limit
            await engine.Executor.ExecuteInTransactionAsync(
                ["SELECT pg_sleep(0.4)", "SELECT pg_sleep(0.4)", "SELECT pg_sleep(0.4)"],
                Record("1"),
                new ExecutionLimits(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)),
                CancellationToken.None);
            Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM stepwise_migrations"));

            var ex = await Assert.ThrowsAsync<EngineException>(() => engine.Executor.ExecuteInTransactionAsync(
                ["SELECT 1", "SELECT pg_sleep(3)"],
                Record("2"),
                new ExecutionLimits(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(300)),
                CancellationToken.None));
            Assert.Equal("57014", ex.SqlState);
            Assert.Equal(1, ex.StatementIndex);
        }
    }

    [Fact]
    public async Task A_terminated_backend_names_the_running_statement()
    {
        var (engine, database) = await ConnectAsync(nameof(A_terminated_backend_names_the_running_statement));
        await using (engine)
        {
            var run = engine.Executor.ExecuteInTransactionAsync(
                ["CREATE TABLE t (id int)", "SELECT pg_sleep(30)", "CREATE TABLE u (id int)"],
                Record("1"),
                Limits,
                CancellationToken.None);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (await CountAsync(database, "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'") == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the migration never reached its sleeping statement");
                await Task.Delay(50);
            }

            await fixture.Server.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'", database);
            var ex = await Assert.ThrowsAsync<EngineException>(() => run);

            Assert.Equal(ErrorKind.ConnectionLost, ex.Kind);
            Assert.Equal(1, ex.StatementIndex);
            Assert.Equal(0, await CountAsync(database, "SELECT count(*) FROM pg_class WHERE relname = 't'"));
        }
    }
}
