using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>
/// Crash safety of expand/contract on PostgreSQL (issue 13, item 6): `kill -9` at seeded random points of `up`
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

    public enum Command
    {
        Up,
        Complete,
        Abort,
    }

    private static readonly SemaphoreSlim s_calibrationGate = new(1, 1);
    private static Dictionary<Command, TimeSpan>? s_remaining;
    private static TimeSpan s_upSteps;

    [Fact]
    public Task Kill_9_at_10_seeded_points_of_up_then_up_again_finishes_and_every_row_is_right() => KillRoundsAsync(Command.Up, seed: 1301);

    [Fact]
    public Task Kill_9_at_10_seeded_points_of_complete_then_complete_again_finishes_and_every_row_is_right() => KillRoundsAsync(Command.Complete, seed: 1302);

    [Fact]
    public Task Kill_9_at_10_seeded_points_of_abort_then_abort_again_leaves_nothing_behind() => KillRoundsAsync(Command.Abort, seed: 1303);

    /// <summary>`abort` after `up` was killed anywhere in expand or its backfill (not run again first) leaves the
    /// catalog exactly as before `up`: no trigger, function, column, check or INVALID index.</summary>
    [Fact]
    public Task Kill_9_at_5_seeded_points_of_up_then_abort_leaves_the_catalog_as_before_up() => KillRoundsAsync(Command.Up, seed: 1304, rounds: 5, then: Command.Abort);

    [Theory]
    [InlineData(Command.Up)]
    [InlineData(Command.Complete)]
    [InlineData(Command.Abort)]
    public async Task Ctrl_c_exits_promptly_and_the_same_command_again_finishes(Command command)
    {
        var remaining = await RemainingAsync();
        var outcome = await RoundAsync(command, 0, remaining[command] / 2, interrupt: true);
        output.WriteLine(outcome.Line);
    }

    private async Task KillRoundsAsync(Command command, int seed, int rounds = 10, Command? then = null)
    {
        var clock = Stopwatch.StartNew();
        var remaining = await RemainingAsync();
        var random = new Random(seed);
        // up: odd rounds draw from its expand steps alone (up to the first backfill line), even ones from the whole rest
        var delays = Enumerable.Range(0, rounds).Select(round => TimeSpan.FromMilliseconds(random.NextDouble() * (command == Command.Up && round % 2 == 1 ? s_upSteps : remaining[command]).TotalMilliseconds)).ToList();
        using var lanes = new SemaphoreSlim(3, 3);
        var outcomes = await Task.WhenAll(delays.Select(async (delay, round) =>
        {
            await lanes.WaitAsync();
            try
            {
                return await RoundAsync(command, round, delay, interrupt: false, then);
            }
            finally
            {
                lanes.Release();
            }
        }));

        output.WriteLine($"{command}: the rest of the command after its first step line took {remaining[command].TotalMilliseconds:0} ms in calibration{(command == Command.Up ? $" ({s_upSteps.TotalMilliseconds:0} ms to the first backfill line)" : string.Empty)}");
        foreach (var o in outcomes)
        {
            output.WriteLine(o.Line);
        }

        var inside = outcomes.Count(o => o.Where != "finished");
        output.WriteLine($"{command}{(then is null ? string.Empty : " then " + then)}: {inside}/{outcomes.Length} kills landed inside ({string.Join(", ", outcomes.GroupBy(o => o.Where).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))}); {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(inside * 2 >= outcomes.Length, $"only {inside} of {outcomes.Length} kills of {command} landed before it finished");
    }

    /// <summary>How long each command ran after its first step line, measured once (up, abort, up again, complete).</summary>
    private async Task<Dictionary<Command, TimeSpan>> RemainingAsync()
    {
        await s_calibrationGate.WaitAsync();
        try
        {
            if (s_remaining is null)
            {
                using var pg = await NewAsync("calibration");
                var measured = new Dictionary<Command, TimeSpan>();
                foreach (var command in new[] { Command.Up, Command.Abort, Command.Up, Command.Complete })
                {
                    await using var run = pg.Start(Args(command));
                    await run.WaitForOutputAsync("  [1/", TimeSpan.FromSeconds(60));
                    var clock = Stopwatch.StartNew();
                    if (command == Command.Up)
                    {
                        await run.WaitForOutputAsync("  backfill ", TimeSpan.FromSeconds(60));
                        s_upSteps = clock.Elapsed;
                    }

                    var r = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
                    Assert.True(r.ExitCode == 0, PgScenario.Describe(r));
                    measured[command] = clock.Elapsed;
                }

                s_remaining = measured;
            }

            return s_remaining;
        }
        finally
        {
            s_calibrationGate.Release();
        }
    }

    private static string[] Args(Command command) => command switch
    {
        Command.Up => ["up"],
        Command.Complete => ["complete", "--force"],
        _ => ["abort"],
    };

    private async Task<PgScenario> NewAsync(string name)
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
        return pg;
    }

    private sealed record Outcome(string Where, string Line);

    /// <summary>Runs <paramref name="command"/>, kills it (or Ctrl-C) <paramref name="delay"/> after its first step line,
    /// runs <paramref name="then"/> (default: the same command) and checks the rows and the catalog. Odd kill rounds
    /// make the server drop a dead client's statement within 25 ms (an interrupted CONCURRENTLY build is left
    /// INVALID); even ones let the orphaned statement finish (the default).</summary>
    private async Task<Outcome> RoundAsync(Command command, int round, TimeSpan delay, bool interrupt, Command? then = null)
    {
        var next = then ?? command;
        var tag = $"{command}{(then is null ? string.Empty : " then " + then)} round {round}{(interrupt ? " (Ctrl-C)" : string.Empty)}";
        using var pg = await NewAsync($"{command}_{then}_{round}{(interrupt ? "_int" : string.Empty)}".ToLowerInvariant());
        var checkDeadClient = !interrupt && round % 2 == 1;
        if (checkDeadClient)
        {
            await fixture.Server.ExecuteAsync($"ALTER DATABASE {pg.Database} SET client_connection_check_interval = '25ms'");
        }

        var before = await pg.ScalarAsync<string>(Catalog);
        if (command != Command.Up)
        {
            var up = await pg.RunAsync("up");
            Assert.True(up.ExitCode == 0, $"{tag}: {PgScenario.Describe(up)}");
        }

        // the old release writes while up and abort run; the new one (new name) while complete runs
        await using var writer = new EcKillWriter(pg, Rows, newShape: command == Command.Complete, seed: round);
        string where;
        ChildProcessResult first;
        int steps;
        await using (var run = pg.Start(Args(command)))
        {
            await run.WaitForOutputAsync("  [1/", TimeSpan.FromSeconds(60));
            steps = int.Parse(Regex.Match(run.StandardError, @"  \[1/(\d+)\]").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(delay);
            var signalled = Stopwatch.StartNew();
            if (interrupt)
            {
                run.Interrupt();
            }
            else
            {
                run.Kill();
            }

            first = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
            PgScenario.AssertNoPassword(first, command.ToString());
            if (interrupt)
            {
                Assert.True(first.ExitCode is 0 or 130, $"{tag}: {PgScenario.Describe(first)}");
                Assert.True(signalled.Elapsed < TimeSpan.FromSeconds(10), $"{tag}: exited {signalled.Elapsed.TotalSeconds:0.0} s after Ctrl-C");
                Assert.DoesNotContain("   at ", first.StandardError, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(first.ExitCode is 0 or ChildProcessResult.KilledExitCode, $"{tag}: {PgScenario.Describe(first)}");
            }
        }

        await pg.WaitForStepwiseSessionsToEndAsync(TimeSpan.FromSeconds(30));
        where = Where(command, (await pg.JournalAsync()).SingleOrDefault(), steps);
        var stateAfterKill = await pg.ScalarAsync<string>(Catalog);
        var invalidAfterKill = (await pg.InvalidIndexesAsync()).Count;

        var again = await pg.RunAsync(Args(next));
        Assert.True(again.ExitCode == 0, $"{tag}, killed after {delay.TotalMilliseconds:0} ms ({where}); `{next}` after it failed:\n{PgScenario.Describe(again)}\ncatalog after the kill:\n{stateAfterKill}");
        if (next == Command.Up)
        {
            Assert.Equal("expanded", Assert.Single(await pg.JournalAsync()).State);
            Assert.DoesNotContain(" INVALID ", await pg.ScalarAsync<string>(Catalog), StringComparison.Ordinal);
            Assert.Equal(0L, await pg.ScalarAsync<long>("SELECT count(*) FROM items WHERE title IS DISTINCT FROM name"));
            await writer.StopAsync(); // the old release stops before complete
            var complete = await pg.RunAsync("complete", "--force");
            Assert.True(complete.ExitCode == 0, $"{tag}: {PgScenario.Describe(complete)}");
        }

        await writer.StopAsync();
        Assert.True(writer.Errors.Count == 0, $"{tag}: the writer's statements failed:\n{string.Join("\n", writer.Errors.Take(5))}");
        var after = await pg.ScalarAsync<string>(Catalog);
        Assert.DoesNotContain("_sw_", after, StringComparison.Ordinal);
        Assert.DoesNotContain(" INVALID ", after, StringComparison.Ordinal);
        Assert.DoesNotContain("not validated", after, StringComparison.Ordinal);
        if (next == Command.Abort)
        {
            Assert.Empty(await pg.JournalAsync());
            Assert.True(before == after, $"{tag} ({where}): the catalog after abort differs from before up:\nbefore:\n{before}\nafter:\n{after}");
            await writer.AssertRowsAsync("name", tag);
        }
        else
        {
            Assert.Equal("applied", Assert.Single(await pg.JournalAsync()).State);
            Assert.Contains("col items.qty bigint not null", after, StringComparison.Ordinal);
            Assert.Contains("col items.title text not null", after, StringComparison.Ordinal);
            Assert.Contains("col items.note text not null", after, StringComparison.Ordinal);
            await writer.AssertRowsAsync("title", tag);
        }

        return new Outcome(where, $"{tag}: {(interrupt ? "Ctrl-C" : "kill -9")} {delay.TotalMilliseconds:0} ms after [1/{steps}]{(checkDeadClient ? " (client check 25 ms)" : string.Empty)}: {where}{(invalidAfterKill > 0 ? $", {invalidAfterKill} INVALID index(es) left" : string.Empty)}; {writer.Writes} writes meanwhile; `{next}` after it took {again.Elapsed.TotalMilliseconds:0} ms");
    }

    /// <summary>Where the kill landed, from the journal row it left.</summary>
    private static string Where(Command command, PgJournalRow? row, int steps) => (command, row?.State) switch
    {
        (Command.Complete or Command.Abort, "completing" or "aborting") when row!.StatementsDone >= steps => "after its last step, before the final journal write",
        (Command.Up, "running") when row!.StatementsDone >= steps => "backfill",
        (Command.Up, "running") => $"expand step {row!.StatementsDone + 1}/{steps}",
        (Command.Up, "expanded") => "finished",
        (Command.Complete, "completing") => $"contract step {row!.StatementsDone + 1}/{steps}",
        (Command.Complete, "applied") => "finished",
        (Command.Abort, "aborting") => $"abort step {row!.StatementsDone + 1}/{steps}",
        (Command.Abort, null) => "finished",
        _ => $"unexpected journal state {row?.State ?? "(no row)"}",
    };
}
