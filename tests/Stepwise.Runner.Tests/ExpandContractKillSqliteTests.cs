using System.Data.Common;
using Microsoft.Data.Sqlite;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Crash safety of expand/contract on SQLite (issue 13, item 6): the PostgreSQL test's rounds
/// (<see cref="EcKillScenario"/>) with 3 seeded kill points per command — `kill -9` in `up` (expand steps + backfill),
/// `complete` and `abort` of a column rename while the release of that phase writes, then the same command again
/// finishes, every row is right, and abort leaves sqlite_schema and the columns exactly as before `up`. (SQLite has
/// no ALTER COLUMN TYPE / SET NOT NULL, so the file renames a column only.)
/// </summary>
public sealed class ExpandContractKillSqliteTests(ITestOutputHelper output)
{
    /// <summary>Enough that contract's DROP COLUMN (a table rewrite in SQLite) takes long enough for kills to land inside it.</summary>
    private const int Rows = 40_000;

    private const string Migration = """
        -- stepwise:expand-contract
        ALTER TABLE items RENAME COLUMN name TO title;

        """;

    private static readonly string Seed = $"""
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '', qty INTEGER NOT NULL DEFAULT 0, note TEXT);
        CREATE INDEX items_name ON items (name);
        CREATE INDEX items_qty ON items (qty);
        WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < {Rows}) INSERT INTO items (id, name, qty, note) SELECT n, 'n' || n, n % 1000, 'x' || n FROM g;
        """;

    private static readonly EcKillCalibration s_calibration = new();

    private EcKillScenario Scenario => new(new Engine(), s_calibration, output);

    [Fact]
    public Task Kill_9_at_3_seeded_points_of_up_then_up_again_finishes_and_every_row_is_right() => Scenario.KillRoundsAsync(EcKillCommand.Up, seed: 1321, rounds: 3);

    [Fact]
    public Task Kill_9_at_3_seeded_points_of_complete_then_complete_again_finishes_and_every_row_is_right() => Scenario.KillRoundsAsync(EcKillCommand.Complete, seed: 1322, rounds: 3, window: 0.8); // calibrated to the "✓" line; the last fifth is the final journal write and the line itself

    [Fact]
    public Task Kill_9_at_3_seeded_points_of_abort_then_abort_again_leaves_nothing_behind() => Scenario.KillRoundsAsync(EcKillCommand.Abort, seed: 1323, rounds: 3, window: 0.8);

    private sealed class Engine : IEcKillEngine
    {
        public string Name => "SQLite";

        public int Rows => ExpandContractKillSqliteTests.Rows;

        public bool DdlIsTransactional => true;

        public bool CalibrateToFinishLine => true;

        public string UnsyncedRowsSql => "SELECT count(*) FROM items WHERE title IS NOT name";

        public IReadOnlyList<string> CompletedCatalogLines { get; } = ["col items.title TEXT 1 '' 0", "col items.qty INTEGER 1 0 0"];

        public Task<IEcKillDb> NewAsync(string name)
        {
            var folder = new LayoutFolder("stepwise-eck-sqlite-");
            var file = new SqliteFile(Path.Combine(folder.Root, "app.db"));
            file.Execute(Seed);
            folder.Write("0001_change.sql", Migration);
            return Task.FromResult<IEcKillDb>(new Db(file, folder));
        }
    }

    private sealed class Db(SqliteFile file, LayoutFolder folder) : IEcKillDb
    {
        public ChildProcessHandle Start(params string[] args) => folder.Start([.. args, "--database", file.Url]);

        public Task<ChildProcessResult> RunAsync(params string[] args) => folder.RunAsync([.. args, "--database", file.Url]);

        public void AssertNoPassword(ChildProcessResult result, string what)
        {
            // a file has no password
        }

        public Task<string> CatalogAsync()
        {
            var lines = file.Strings("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'stepwise%' AND name NOT LIKE 'sqlite%'")
                .Concat(file.Strings("SELECT 'col items.' || name || ' ' || type || ' ' || \"notnull\" || ' ' || coalesce(dflt_value, '-') || ' ' || pk FROM pragma_table_xinfo('items')"))
                .Order(StringComparer.Ordinal);
            return Task.FromResult(string.Join("\n", lines));
        }

        public Task<(string State, int StatementsDone)?> JournalAsync()
        {
            if (!file.TableExists("stepwise_migrations"))
            {
                return Task.FromResult<(string, int)?>(null);
            }

            var rows = file.Strings("SELECT state || ' ' || statements_done FROM stepwise_migrations");
            Assert.True(rows.Count <= 1, "more than one journal row");
            return Task.FromResult<(string, int)?>(rows.Count == 0 ? null : (rows[0].Split(' ')[0], int.Parse(rows[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)));
        }

        public Task<int> InvalidIndexCountAsync() => Task.FromResult(0);

        public Task<long> CountAsync(string sql) => Task.FromResult(file.Count(sql));

        public Task WaitForStepwiseSessionsToEndAsync(TimeSpan timeout) => Task.CompletedTask; // no server: the process's locks died with it

        public Task<bool> CheckDeadClientsAsync() => Task.FromResult(false);

        public async Task<DbConnection> OpenWriterAsync()
        {
            // waits up to 30 s for the write lock stepwise's steps and batches hold
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file.Path, Pooling = false, DefaultTimeout = 30 }.ConnectionString);
            await connection.OpenAsync();
            return connection;
        }

        public void Dispose() => folder.Dispose();
    }
}
