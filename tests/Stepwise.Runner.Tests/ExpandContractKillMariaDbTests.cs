using System.Data.Common;
using System.Globalization;
using MySqlConnector;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Crash safety of expand/contract on MariaDB (issue 13, item 6): the PostgreSQL test's rounds
/// (<see cref="EcKillScenario"/>) with 3 seeded kill points per command — `kill -9` in `up` (expand steps + backfill),
/// `complete` and `abort` while the release of that phase writes, then the same command again finishes, every row is
/// right, and abort leaves the catalog (columns, indexes, checks, triggers, views) exactly as before `up`.
/// `stepwise` runs as the password user, so its sessions are told from the writer's in the process list.
/// </summary>
[Collection("mariadb")]
public sealed class ExpandContractKillMariaDbTests(MariaDbFixture fixture, ITestOutputHelper output)
{
    private const int Rows = 20_000;

    private const string Migration = """
        -- stepwise:expand-contract
        ALTER TABLE items RENAME COLUMN name TO title;
        ALTER TABLE items MODIFY qty BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE items MODIFY note VARCHAR(100) NOT NULL;

        """;

    private static readonly string Seed = $"""
        CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL, qty INT NOT NULL DEFAULT 0, note VARCHAR(100) NULL, KEY items_name (name), KEY items_qty (qty));
        SET SESSION max_recursive_iterations = {Rows + 1};
        INSERT INTO items (id, name, qty, note) WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {Rows}) SELECT n, CONCAT('n', n), n % 1000, CONCAT('x', n) FROM g;
        ANALYZE TABLE items;
        """;

    private static readonly EcKillCalibration s_calibration = new();

    private EcKillScenario Scenario => new(new Engine(fixture), s_calibration, output);

    [Fact]
    public Task Kill_9_at_3_seeded_points_of_up_then_up_again_finishes_and_every_row_is_right() => Scenario.KillRoundsAsync(EcKillCommand.Up, seed: 1311, rounds: 3);

    [Fact]
    public Task Kill_9_at_3_seeded_points_of_complete_then_complete_again_finishes_and_every_row_is_right() => Scenario.KillRoundsAsync(EcKillCommand.Complete, seed: 1312, rounds: 3, window: 0.3); // contract is one short locked step; the rest is the process exiting

    [Fact]
    public Task Kill_9_at_3_seeded_points_of_abort_then_abort_again_leaves_nothing_behind() => Scenario.KillRoundsAsync(EcKillCommand.Abort, seed: 1313, rounds: 3);

    /// <summary>Failed before the fix: abort dropped the sync triggers in one step and the NOT NULL twins in later ones,
    /// so the old release's inserts failed ("Field 'title' doesn't have a default value") in between, with no kill.</summary>
    [Fact]
    public Task Abort_while_the_old_release_writes_fails_none_of_its_statements() => Scenario.UndisturbedAsync(EcKillCommand.Abort);

    private sealed class Engine(MariaDbFixture fixture) : IEcKillEngine
    {
        public string Name => "MariaDB";

        public int Rows => ExpandContractKillMariaDbTests.Rows;

        public bool DdlIsTransactional => false;

        public bool CalibrateToFinishLine => false;

        public string UnsyncedRowsSql => "SELECT COUNT(*) FROM items WHERE NOT (title <=> name)";

        public IReadOnlyList<string> CompletedCatalogLines { get; } = ["col items.qty bigint(20) NO 0", "col items.title varchar(100) NO -", "col items.note varchar(100) NO -"];

        public async Task<IEcKillDb> NewAsync(string name)
        {
            var database = new MySqlConnectionStringBuilder(await fixture.CreateDatabaseAsync("eck_" + name)).Database;
            await fixture.Server.ExecuteAsync(Seed, database);
            var folder = new LayoutFolder("stepwise-eck-maria-");
            folder.Write("0001_change.sql", Migration);
            return new Db(fixture.Server, database, folder);
        }
    }

    private sealed class Db(MariaDbServer server, string database, LayoutFolder folder) : IEcKillDb
    {
        private string Url => server.PasswordUrlFor(database);

        public ChildProcessHandle Start(params string[] args) => folder.Start([.. args, "--database", Url]);

        public Task<ChildProcessResult> RunAsync(params string[] args) => folder.RunAsync([.. args, "--database", Url]);

        public void AssertNoPassword(ChildProcessResult result, string what) => PgScenario.AssertNoPassword(result, what, MariaDbServer.Password);

        public async Task<string> CatalogAsync()
        {
            var sql = $"""
                SELECT COALESCE(GROUP_CONCAT(x ORDER BY x SEPARATOR '\n'), '') FROM (
                  SELECT CONCAT('rel ', table_name, ' ', table_type) AS x FROM information_schema.tables WHERE table_schema = '{database}' AND table_name NOT LIKE 'stepwise%'
                  UNION ALL
                  SELECT CONCAT('col ', table_name, '.', column_name, ' ', column_type, ' ', is_nullable, ' ', IFNULL(column_default, '-')) FROM information_schema.columns WHERE table_schema = '{database}' AND table_name NOT LIKE 'stepwise%'
                  UNION ALL
                  SELECT CONCAT('idx ', table_name, '.', index_name, ' ', non_unique, ' ', GROUP_CONCAT(column_name ORDER BY seq_in_index)) FROM information_schema.statistics WHERE table_schema = '{database}' AND table_name NOT LIKE 'stepwise%' GROUP BY table_name, index_name, non_unique
                  UNION ALL
                  SELECT CONCAT('chk ', table_name, '.', constraint_name, ' ', check_clause) FROM information_schema.check_constraints WHERE constraint_schema = '{database}'
                  UNION ALL
                  SELECT CONCAT('trg ', event_object_table, '.', trigger_name) FROM information_schema.triggers WHERE trigger_schema = '{database}'
                ) s
                """;
            return Convert.ToString(await server.ScalarAsync(sql, database), CultureInfo.InvariantCulture) ?? string.Empty;
        }

        public async Task<(string State, int StatementsDone)?> JournalAsync()
        {
            if (await CountAsync($"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{database}' AND table_name = 'stepwise_migrations'") == 0)
            {
                return null;
            }

            await using var connection = new MySqlConnection(server.ConnectionStringFor(database));
            await connection.OpenAsync();
            await using var command = new MySqlCommand("SELECT state, statements_done FROM stepwise_migrations", connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                return null;
            }

            var row = (reader.GetString(0), reader.GetInt32(1));
            Assert.False(await reader.ReadAsync(), "more than one journal row");
            return row;
        }

        public Task<int> InvalidIndexCountAsync() => Task.FromResult(0);

        public async Task<long> CountAsync(string sql) => Convert.ToInt64(await server.ScalarAsync(sql, database), CultureInfo.InvariantCulture);

        public async Task WaitForStepwiseSessionsToEndAsync(TimeSpan timeout)
        {
            // a statement of the killed client runs on until it finishes (the server sees the dead socket only when it writes)
            var deadline = DateTime.UtcNow + timeout;
            long left;
            while ((left = await CountAsync($"SELECT COUNT(*) FROM information_schema.processlist WHERE user = '{MariaDbServer.PasswordUser}' AND db = '{database}'")) > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{left} stepwise session(s) still open on the server {timeout.TotalSeconds:0} s after the process ended");
                await Task.Delay(50);
            }
        }

        public Task<bool> CheckDeadClientsAsync() => Task.FromResult(false);

        public async Task<DbConnection> OpenWriterAsync()
        {
            var connection = new MySqlConnection(new MySqlConnectionStringBuilder(server.ConnectionStringFor(database)) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        public void Dispose() => folder.Dispose();
    }
}
