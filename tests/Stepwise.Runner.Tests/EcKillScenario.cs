using System.Diagnostics;
using System.Text.RegularExpressions;
using Stepwise.Testing;
using Xunit.Abstractions;

namespace Stepwise.Runner.Tests;

/// <summary>The commands a kill round interrupts.</summary>
public enum EcKillCommand
{
    Up,
    Complete,
    Abort,
}

/// <summary>How long each command ran after its first step line, measured once per engine (up, abort, up again,
/// complete) and shared by that engine's tests.</summary>
internal sealed class EcKillCalibration
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Dictionary<EcKillCommand, TimeSpan>? Remaining { get; set; }

    /// <summary>From up's first step line to its first backfill line.</summary>
    public TimeSpan UpSteps { get; set; }
}

/// <summary>
/// Crash safety of expand/contract (issue 13, item 6), engine-neutral: `kill -9` at seeded random points of `up`
/// (expand steps + backfill), of `complete` and of `abort`, while a writer keeps writing through the shape its
/// release knows; then the same command again exits 0, every row holds the last value written (read through the
/// new shape after complete, the old one after abort), and abort leaves the catalog exactly as before `up`.
/// Each kill is drawn from a fixed seed: a delay after the phase's first step line ("[1/n]"), up to the time
/// the rest of the command took in a calibration run, so most kills land inside the step list or the backfill.
/// The engine supplies the database, the migration and the catalog text (<see cref="IEcKillEngine"/>).
/// </summary>
internal sealed class EcKillScenario(IEcKillEngine engine, EcKillCalibration calibration, ITestOutputHelper output)
{
    /// <param name="window">The share of the calibrated rest of the command the kills are drawn from (1: all of it; less
    /// when the tail of that time is mostly the process exiting after a short phase).</param>
    public async Task KillRoundsAsync(EcKillCommand command, int seed, int rounds, EcKillCommand? then = null, int lanes = 3, double window = 1.0)
    {
        var clock = Stopwatch.StartNew();
        var remaining = await RemainingAsync();
        var random = new Random(seed);
        // up: odd rounds draw from its expand steps alone (up to the first backfill line), even ones from the whole rest
        var delays = Enumerable.Range(0, rounds).Select(round => TimeSpan.FromMilliseconds(random.NextDouble() * window * (command == EcKillCommand.Up && round % 2 == 1 ? calibration.UpSteps : remaining[command]).TotalMilliseconds)).ToList();
        using var gate = new SemaphoreSlim(lanes, lanes);
        var outcomes = await Task.WhenAll(delays.Select(async (delay, round) =>
        {
            await gate.WaitAsync();
            try
            {
                return await RoundAsync(command, round, delay, interrupt: false, then);
            }
            finally
            {
                gate.Release();
            }
        }));

        // A short phase (SQLite's and MariaDB's complete/abort take tens of milliseconds) can be over before a kill drawn
        // from its calibrated time lands when the machine is busy: then more seeded kills, each drawn from half the
        // previous window, until half the planned rounds landed inside (at most twice as many rounds more). Every
        // extra round is checked like the others.
        var all = outcomes.ToList();
        var extraWindow = window;
        for (var extra = 0; all.Count(o => o.Where != "finished") * 2 < rounds && extra < rounds * 2; extra++)
        {
            extraWindow /= 2;
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * extraWindow * remaining[command].TotalMilliseconds);
            all.Add(await RoundAsync(command, rounds + extra, delay, interrupt: false, then));
        }

        outcomes = [.. all];
        output.WriteLine($"{engine.Name} {command}: the rest of the command after its first step line took {remaining[command].TotalMilliseconds:0} ms in calibration{(command == EcKillCommand.Up ? $" ({calibration.UpSteps.TotalMilliseconds:0} ms to the first backfill line)" : string.Empty)}");
        foreach (var o in outcomes)
        {
            output.WriteLine(o.Line);
        }

        var inside = outcomes.Count(o => o.Where != "finished");
        output.WriteLine($"{engine.Name} {command}{(then is null ? string.Empty : " then " + then)}: {inside}/{outcomes.Length} kills landed inside ({string.Join(", ", outcomes.GroupBy(o => o.Where).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))}); {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(inside * 2 >= rounds, $"only {inside} of {outcomes.Length} kills of {command} landed before it finished");
    }

    /// <summary>Ctrl-C half-way through the rest of <paramref name="command"/>, then the same command again.</summary>
    public async Task InterruptAsync(EcKillCommand command)
    {
        var remaining = await RemainingAsync();
        var outcome = await RoundAsync(command, 0, remaining[command] / 2, interrupt: true);
        output.WriteLine(outcome.Line);
    }

    /// <summary><paramref name="command"/> runs to its end (no kill) while the release of that phase writes: not one of the
    /// writer's statements may fail, on any engine, and the rows and the catalog are checked as after a kill round.</summary>
    public async Task UndisturbedAsync(EcKillCommand command)
    {
        var outcome = await RoundAsync(command, 0, delay: null, interrupt: false);
        output.WriteLine(outcome.Line);
    }

    private async Task<Dictionary<EcKillCommand, TimeSpan>> RemainingAsync()
    {
        await calibration.Gate.WaitAsync();
        try
        {
            if (calibration.Remaining is null)
            {
                using var db = await engine.NewAsync("calibration");
                var measured = new Dictionary<EcKillCommand, TimeSpan>();
                foreach (var command in new[] { EcKillCommand.Up, EcKillCommand.Abort, EcKillCommand.Up, EcKillCommand.Complete })
                {
                    await using var run = db.Start(Args(command));
                    await run.WaitForOutputAsync("  [1/", TimeSpan.FromSeconds(60));
                    var clock = Stopwatch.StartNew();
                    if (command == EcKillCommand.Up)
                    {
                        await run.WaitForOutputAsync("  backfill ", TimeSpan.FromSeconds(60));
                        calibration.UpSteps = clock.Elapsed;
                    }

                    if (engine.CalibrateToFinishLine)
                    {
                        await run.WaitForOutputAsync("✓ ", TimeSpan.FromSeconds(60));
                        measured[command] = clock.Elapsed;
                    }

                    var r = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
                    Assert.True(r.ExitCode == 0, PgScenario.Describe(r));
                    measured.TryAdd(command, clock.Elapsed);
                }

                calibration.Remaining = measured;
            }

            return calibration.Remaining;
        }
        finally
        {
            calibration.Gate.Release();
        }
    }

    private static string[] Args(EcKillCommand command) => command switch
    {
        EcKillCommand.Up => ["up"],
        EcKillCommand.Complete => ["complete", "--force"],
        _ => ["abort"],
    };

    private sealed record Outcome(string Where, string Line);

    /// <summary>Runs <paramref name="command"/>, kills it (or Ctrl-C) <paramref name="delay"/> after its first step line,
    /// runs <paramref name="then"/> (default: the same command) and checks the rows and the catalog. On PostgreSQL odd
    /// kill rounds make the server drop a dead client's statement within 25 ms (an interrupted CONCURRENTLY build is
    /// left INVALID); even ones let the orphaned statement finish (the default).</summary>
    private async Task<Outcome> RoundAsync(EcKillCommand command, int round, TimeSpan? delay, bool interrupt, EcKillCommand? then = null)
    {
        if (delay is null)
        {
            return await UndisturbedRoundAsync(command);
        }

        var next = then ?? command;
        var tag = $"{engine.Name} {command}{(then is null ? string.Empty : " then " + then)} round {round}{(interrupt ? " (Ctrl-C)" : string.Empty)}";
        using var db = await engine.NewAsync($"{command}_{then}_{round}{(interrupt ? "_int" : string.Empty)}".ToLowerInvariant());
        var checkDeadClient = !interrupt && round % 2 == 1 && await db.CheckDeadClientsAsync();
        var before = await db.CatalogAsync();
        if (command != EcKillCommand.Up)
        {
            var up = await db.RunAsync("up");
            Assert.True(up.ExitCode == 0, $"{tag}: {PgScenario.Describe(up)}");
        }

        // the old release writes while up and abort run; the new one (new name) while complete runs
        await using var writer = new EcKillWriter(db, engine.Rows, newShape: command == EcKillCommand.Complete, seed: round);
        string where;
        ChildProcessResult first;
        int steps;
        await using (var run = db.Start(Args(command)))
        {
            await run.WaitForOutputAsync("  [1/", TimeSpan.FromSeconds(60));
            steps = int.Parse(Regex.Match(run.StandardError, @"  \[1/(\d+)\]").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            await Task.Delay(delay.Value);
            var signalled = Stopwatch.StartNew();
            writer.Tolerating = !engine.DdlIsTransactional;
            if (interrupt)
            {
                run.Interrupt();
            }
            else
            {
                run.Kill();
            }

            first = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
            db.AssertNoPassword(first, command.ToString());
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

        await db.WaitForStepwiseSessionsToEndAsync(TimeSpan.FromSeconds(30));
        where = Where(command, await db.JournalAsync(), steps);
        var stateAfterKill = await db.CatalogAsync();
        var invalidAfterKill = await db.InvalidIndexCountAsync();

        var again = await db.RunAsync(Args(next));
        writer.Tolerating = false;
        Assert.True(again.ExitCode == 0, $"{tag}, killed after {delay.Value.TotalMilliseconds:0} ms ({where}); `{next}` after it failed:\n{PgScenario.Describe(again)}\ncatalog after the kill:\n{stateAfterKill}");
        if (next == EcKillCommand.Up)
        {
            Assert.Equal("expanded", (await db.JournalAsync())?.State);
            Assert.DoesNotContain(" INVALID ", await db.CatalogAsync(), StringComparison.Ordinal);
            Assert.Equal(0L, await db.CountAsync(engine.UnsyncedRowsSql));
            await writer.StopAsync(); // the old release stops before complete
            var complete = await db.RunAsync("complete", "--force");
            Assert.True(complete.ExitCode == 0, $"{tag}: {PgScenario.Describe(complete)}");
        }

        await writer.StopAsync();
        Assert.True(writer.Errors.Count == 0, $"{tag}: the writer's statements failed:\n{string.Join("\n", writer.Errors.Take(5))}");
        var after = await db.CatalogAsync();
        Assert.DoesNotContain("_sw_", after, StringComparison.Ordinal);
        Assert.DoesNotContain(" INVALID ", after, StringComparison.Ordinal);
        Assert.DoesNotContain("not validated", after, StringComparison.Ordinal);
        if (next == EcKillCommand.Abort)
        {
            Assert.Null(await db.JournalAsync());
            Assert.True(before == after, $"{tag} ({where}): the catalog after abort differs from before up:\nbefore:\n{before}\nafter:\n{after}");
            await writer.AssertRowsAsync("name", tag);
        }
        else
        {
            Assert.Equal("applied", (await db.JournalAsync())?.State);
            foreach (var line in engine.CompletedCatalogLines)
            {
                Assert.Contains(line, after, StringComparison.Ordinal);
            }

            await writer.AssertRowsAsync("title", tag);
        }

        return new Outcome(where, $"{tag}: {(interrupt ? "Ctrl-C" : "kill -9")} {delay.Value.TotalMilliseconds:0} ms after [1/{steps}]{(checkDeadClient ? " (client check 25 ms)" : string.Empty)}: {where}{(invalidAfterKill > 0 ? $", {invalidAfterKill} INVALID index(es) left" : string.Empty)}; {writer.Writes} writes meanwhile{(writer.Tolerated.Count > 0 ? $" ({writer.Tolerated.Count} failed between the kill and the rerun's end: {writer.Tolerated.Distinct().First()})" : string.Empty)}; `{next}` after it took {again.Elapsed.TotalMilliseconds:0} ms");
    }

    private async Task<Outcome> UndisturbedRoundAsync(EcKillCommand command)
    {
        var tag = $"{engine.Name} {command} undisturbed";
        using var db = await engine.NewAsync($"{command}_whole".ToLowerInvariant());
        var before = await db.CatalogAsync();
        if (command != EcKillCommand.Up)
        {
            var up = await db.RunAsync("up");
            Assert.True(up.ExitCode == 0, $"{tag}: {PgScenario.Describe(up)}");
        }

        await using var writer = new EcKillWriter(db, engine.Rows, newShape: command == EcKillCommand.Complete, seed: 7);
        await Task.Delay(200);
        var run = await db.RunAsync(Args(command));
        Assert.True(run.ExitCode == 0, $"{tag}: {PgScenario.Describe(run)}");
        await Task.Delay(200);
        await writer.StopAsync();
        Assert.True(writer.Errors.Count == 0, $"{tag}: {writer.Errors.Count} of the writer's statements failed:\n{string.Join("\n", writer.Errors.Distinct().Take(5))}");
        var after = await db.CatalogAsync();
        if (command == EcKillCommand.Abort)
        {
            Assert.True(before == after, $"{tag}: the catalog after abort differs from before up:\nbefore:\n{before}\nafter:\n{after}");
        }

        await writer.AssertRowsAsync(command == EcKillCommand.Complete ? "title" : "name", tag);
        return new Outcome("finished", $"{tag}: {writer.Writes} writes meanwhile, 0 failed; `{command}` took {run.Elapsed.TotalMilliseconds:0} ms");
    }

    /// <summary>Where the kill landed, from the journal row it left.</summary>
    private static string Where(EcKillCommand command, (string State, int StatementsDone)? row, int steps) => (command, row?.State) switch
    {
        (EcKillCommand.Complete or EcKillCommand.Abort, "completing" or "aborting") when row!.Value.StatementsDone >= steps => "after its last step, before the final journal write",
        (EcKillCommand.Up, "running") when row!.Value.StatementsDone >= steps => "backfill",
        (EcKillCommand.Up, "running") => $"expand step {row!.Value.StatementsDone + 1}/{steps}",
        (EcKillCommand.Up, "expanded") => "finished",
        (EcKillCommand.Complete, "completing") => $"contract step {row!.Value.StatementsDone + 1}/{steps}",
        (EcKillCommand.Complete, "applied") => "finished",
        (EcKillCommand.Abort, "aborting") => $"abort step {row!.Value.StatementsDone + 1}/{steps}",
        (EcKillCommand.Abort, null) => "finished",
        _ => $"unexpected journal state {row?.State ?? "(no row)"}",
    };
}
