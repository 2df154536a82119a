using System.Data.Common;
using Npgsql;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Crash safety of expand/contract on PostgreSQL (issue 13, item 6; the rounds are <see cref="EcKillScenario"/>'s): `kill -9` at seeded random points of `up`
/// (expand steps + backfill), of `complete` and of `abort`, while a writer keeps writing through the shape its
/// release knows; then the same command again exits 0, every row holds the last value written (read through the
/// new shape after complete, the old one after abort), and abort leaves the catalog exactly as before `up`.
/// Each kill is drawn from a fixed seed: a delay after the phase's first step line ("[1/n]"), up to the time
/// the rest of the command took in a calibration run, so most kills land inside the step list or the backfill.
/// </summary>
[Collection("postgres")]
public sealed class ExpandContractKillTests(PostgresFixture fixture, ITestOutputHelper output)
{
    /// <summary>Large enough that the backfill takes a few adaptive batches and the index copies and VALIDATEs take a moment.</summary>
    private const int Rows = 40_000;

    private const string Migration = """
        -- stepwise:expand-contract
        ALTER TABLE items RENAME COLUMN name TO title;
        ALTER TABLE items ALTER COLUMN qty TYPE bigint;
        ALTER TABLE items ALTER COLUMN note SET NOT NULL;

        """;

    private static readonly string Seed = $"""
        CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, qty integer NOT NULL DEFAULT 0, note text);
        CREATE INDEX items_name ON items (name);
        CREATE INDEX items_qty ON items (qty);
        INSERT INTO items SELECT g, 'n' || g, g % 1000, 'x' || g FROM generate_series(1, {Rows}) g;
        ANALYZE items;
        """;

    /// <summary>Everything abort must restore and contract must clean: relations, columns, indexes (with validity),
    /// constraints, triggers, functions and views of the public schema, stepwise's own tables left out.</summary>
    private const string Catalog = """
        SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
          SELECT 'rel ' || c.relname || ' ' || c.relkind::text AS x
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname NOT LIKE 'stepwise%'
          UNION ALL
          SELECT 'col ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname NOT LIKE 'stepwise%' AND a.attnum > 0 AND NOT a.attisdropped
          UNION ALL
          SELECT 'idx ' || ic.relname || CASE WHEN i.indisvalid THEN '' ELSE ' INVALID' END || ' ' || pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = tc.relnamespace
           WHERE n.nspname = 'public' AND tc.relname NOT LIKE 'stepwise%'
          UNION ALL
          SELECT 'con ' || tc.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid) || CASE WHEN con.convalidated THEN '' ELSE ' (not validated)' END
            FROM pg_constraint con JOIN pg_class tc ON tc.oid = con.conrelid JOIN pg_namespace n ON n.oid = tc.relnamespace
           WHERE n.nspname = 'public' AND tc.relname NOT LIKE 'stepwise%'
          UNION ALL
          SELECT 'trg ' || tc.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class tc ON tc.oid = t.tgrelid WHERE NOT t.tgisinternal AND tc.relname NOT LIKE 'stepwise%'
          UNION ALL
          SELECT 'fn ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
        ) s
        """;

    private static readonly EcKillCalibration s_calibration = new();

    private EcKillScenario Scenario => new(new Engine(fixture), s_calibration, output);

    [Fact]
    public Task Kill_9_at_10_seeded_points_of_up_then_up_again_finishes_and_every_row_is_right() => Scenario.KillRoundsAsync(EcKillCommand.Up, seed: 1301, rounds: 10);

    [Fact]
    public Task Kill_9_at_10_seeded_points_of_complete_then_complete_again_finishes_and_every_row_is_right() => Scenario.KillRoundsAsync(EcKillCommand.Complete, seed: 1302, rounds: 10);

    [Fact]
    public Task Kill_9_at_10_seeded_points_of_abort_then_abort_again_leaves_nothing_behind() => Scenario.KillRoundsAsync(EcKillCommand.Abort, seed: 1303, rounds: 10);

    /// <summary>`abort` after `up` was killed anywhere in expand or its backfill (not run again first) leaves the
    /// catalog exactly as before `up`: no trigger, function, column, check or INVALID index.</summary>
    [Fact]
    public Task Kill_9_at_5_seeded_points_of_up_then_abort_leaves_the_catalog_as_before_up() => Scenario.KillRoundsAsync(EcKillCommand.Up, seed: 1304, rounds: 5, then: EcKillCommand.Abort);

    [Theory]
    [InlineData(EcKillCommand.Up)]
    [InlineData(EcKillCommand.Complete)]
    [InlineData(EcKillCommand.Abort)]
    public Task Ctrl_c_exits_promptly_and_the_same_command_again_finishes(EcKillCommand command) => Scenario.InterruptAsync(command);

    private sealed class Engine(PostgresFixture fixture) : IEcKillEngine
    {
        public string Name => "PostgreSQL";

        public int Rows => ExpandContractKillTests.Rows;

        public bool DdlIsTransactional => true;

        public bool CalibrateToFinishLine => false;

        public string UnsyncedRowsSql => "SELECT count(*) FROM items WHERE title IS DISTINCT FROM name";

        public IReadOnlyList<string> CompletedCatalogLines { get; } = ["col items.qty bigint not null", "col items.title text not null", "col items.note text not null"];

        public async Task<IEcKillDb> NewAsync(string name)
        {
            var pg = await PgScenario.CreateAsync(fixture, "eck_" + name);
            await using (var connection = new NpgsqlConnection(pg.Server.PasswordConnectionStringFor(pg.Database)))
            {
                // as the migration user, who must own the table
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(Seed, connection);
                await command.ExecuteNonQueryAsync();
            }

            pg.Write("0001_change.sql", Migration);
            return new Db(pg, fixture);
        }
    }

    private sealed class Db(PgScenario pg, PostgresFixture fixture) : IEcKillDb
    {
        public ChildProcessHandle Start(params string[] args) => pg.Start(args);

        public Task<ChildProcessResult> RunAsync(params string[] args) => pg.RunAsync(args);

        public void AssertNoPassword(ChildProcessResult result, string what) => PgScenario.AssertNoPassword(result, what);

        public Task<string> CatalogAsync() => pg.ScalarAsync<string>(Catalog);

        public async Task<(string State, int StatementsDone)?> JournalAsync() =>
            (await pg.JournalAsync()).SingleOrDefault() is { } row ? (row.State, row.StatementsDone) : null;

        public async Task<int> InvalidIndexCountAsync() => (await pg.InvalidIndexesAsync()).Count;

        public Task<long> CountAsync(string sql) => pg.ScalarAsync<long>(sql);

        public Task WaitForStepwiseSessionsToEndAsync(TimeSpan timeout) => pg.WaitForStepwiseSessionsToEndAsync(timeout);

        public async Task<bool> CheckDeadClientsAsync()
        {
            await fixture.Server.ExecuteAsync($"ALTER DATABASE {pg.Database} SET client_connection_check_interval = '25ms'");
            return true;
        }

        public async Task<DbConnection> OpenWriterAsync()
        {
            var connection = new NpgsqlConnection(pg.SuperConnectionString + ";Pooling=false");
            await connection.OpenAsync();
            return connection;
        }

        public void Dispose() => pg.Dispose();
    }
}
