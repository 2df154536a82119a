using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Stepwise.Engines;
using Stepwise.Migrations.Backfill;
using Stepwise.Migrations.Running;

namespace Stepwise.Cli.Commands;

internal static class BackfillCommand
{
    public static Command Create(CliIo io)
    {
        var database = new Option<string?>("--database", "-u") { Description = "Database URL (default: $DATABASE_URL)." };
        var table = new Option<string>("--table", "-t") { Description = "The table to change.", Required = true };
        var set = new Option<string>("--set") { Description = "The SET list, e.g. \"display_name = username\".", Required = true };
        var where = new Option<string?>("--where") { Description = "Only rows matching this predicate, e.g. \"display_name IS NULL\"." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Rows per batch. Alone: a fixed size. With --batch-time: the first batch's size (default 1000)." };
        var batchTime = new Option<string?>("--batch-time") { Description = "Target duration of a batch; the batch size adapts to it (default 100ms unless --batch-size is given alone)." };
        var sleep = new Option<string?>("--sleep") { Description = "Pause between batches, e.g. 100ms (replica lag, I/O headroom)." };
        var lockTimeout = new Option<string?>("--lock-timeout") { Description = "How long a batch may wait for application row locks before it retries smaller (default 1s)." };
        var nice = RunnerCommands.NiceRatioOption("After each batch, pause this many times the batch's duration (added to --sleep), e.g. 1 to leave a busy server half the backfill's time (default 0).");
        var name = new Option<string?>("--name") { Description = "Checkpoint name (default: derived from table, SET and WHERE). The same name resumes; a finished backfill is not run again." };
        var format = new Option<string>("--format", "-f") { Description = "text or json (one progress event per line).", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("backfill", "Change every row of a live table in keyset batches: one commit per batch, a checkpoint in the database (kill it and run it again to resume), never waiting long on application row locks.\nExample: stepwise backfill --table users --set \"display_name = username\" --where \"display_name IS NULL\"\nExit codes: 0 done (or already done), 1 failed, 2 usage or connection error (a lost connection resumes when run again), 130 stopped by Ctrl-C (run it again to resume).")
        {
            database, table, set, where, batchSize, batchTime, sleep, nice, lockTimeout, name, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var url = parse.GetValue(database) ?? Environment.GetEnvironmentVariable("DATABASE_URL");
            if (!DatabaseTarget.TryParse(url, out var target, out var error))
            {
                io.Error.WriteLine($"stepwise: {error}");
                return StepwiseCli.ExitUsage;
            }

            if (!Durations.TryParse(parse.GetValue(batchTime), out var target_) || !Durations.TryParse(parse.GetValue(sleep), out var pause) || !Durations.TryParse(parse.GetValue(lockTimeout), out var locks))
            {
                io.Error.WriteLine("stepwise: durations look like 500ms, 2s or 1m");
                return StepwiseCli.ExitUsage;
            }

            var tableName = parse.GetValue(table)!;
            var setList = parse.GetValue(set)!;
            var predicate = parse.GetValue(where);
            var spec = new BackfillSpec(
                parse.GetValue(name) ?? DefaultName(tableName, setList, predicate),
                tableName,
                setList,
                predicate,
                parse.GetValue(batchSize) ?? BackfillSpec.DefaultBatchSize,
                BackfillSpec.BatchTimeFor(parse.GetValue(batchSize), target_),
                pause ?? TimeSpan.Zero,
                locks ?? BackfillSpec.DefaultLockTimeout) { NiceRatio = parse.GetValue(nice) ?? 0 };
            if (spec.BatchSize <= 0 || target_ is { } t && t <= TimeSpan.Zero || locks is { } l && l <= TimeSpan.Zero)
            {
                io.Error.WriteLine("stepwise: --batch-size, --batch-time and --lock-timeout must be above zero");
                return StepwiseCli.ExitUsage;
            }

            var json = parse.GetValue(format) == "json";
            var engine = StepwiseMigrations.Engine(target!);
            await using (engine.ConfigureAwait(false))
            {
                BackfillResult result;
                try
                {
                    result = await RunWithProgressAsync(io, engine, target!, spec, json, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // interrupted while connecting or reading the table's key: no batch had started
                    result = new BackfillResult(BackfillOutcome.Stopped, "interrupted before the first batch; nothing was changed");
                }

                if (json)
                {
                    io.Out.WriteLine(JsonLine(w =>
                    {
                        w.WriteString("event", "result");
                        w.WriteString("outcome", result.Outcome switch { BackfillOutcome.AlreadyDone => "already-done", BackfillOutcome.InputError => "input-error", BackfillOutcome.ConnectionLost => "connection-lost", _ => result.Outcome.ToString().ToLowerInvariant() });
                        w.WriteNumber("rows", result.RowsDone);
                        w.WriteNumber("batches", result.Batches);
                        w.WriteString("message", result.Message);
                    }));
                }
                else
                {
                    (result.Outcome is BackfillOutcome.Done or BackfillOutcome.AlreadyDone ? io.Out : io.Error).WriteLine(result.Outcome is BackfillOutcome.Done or BackfillOutcome.AlreadyDone ? result.Message : "stepwise: " + result.Message);
                }

                return result.Outcome switch
                {
                    BackfillOutcome.Done or BackfillOutcome.AlreadyDone => StepwiseCli.ExitOk,
                    BackfillOutcome.InputError or BackfillOutcome.ConnectionLost => StepwiseCli.ExitUsage,
                    BackfillOutcome.Stopped => StepwiseCli.ExitInterrupted,
                    _ => StepwiseCli.ExitFindings,
                };
            }
        });
        return command;
    }

    private static string DefaultName(string table, string set, string? where)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(table + "\n" + set + "\n" + where)))[..10];
        return $"{table}:{hash}";
    }

    private static async Task<BackfillResult> RunWithProgressAsync(CliIo io, IEngine engine, DatabaseTarget target, BackfillSpec spec, bool json, CancellationToken ct)
    {
        if (!json && io.ColorOutput && !Console.IsErrorRedirected)
        {
            BackfillResult? result = null;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"backfill {spec.Table}", maxValue: 1);
                    var progress = new SyncProgress<BackfillProgress>(p =>
                    {
                        if (p.EstimatedTotal is { } total && total > 0)
                        {
                            task.MaxValue = Math.Max(total, p.RowsScanned);
                        }

                        task.Value = p.RowsScanned;
                        task.Description = $"backfill {spec.Table}: {p.RowsDone:N0} rows, {p.RowsPerSecond:N0} rows/s, batch {p.BatchSize:N0}";
                    });
                    result = await BackfillRunner.RunAsync(engine, target, spec, progress, ct).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return result!;
        }

        var lastLine = DateTime.MinValue;
        var plain = new SyncProgress<BackfillProgress>(p =>
        {
            if (json)
            {
                io.Out.WriteLine(JsonLine(w =>
                {
                    w.WriteString("event", "progress");
                    w.WriteNumber("rows", p.RowsDone);
                    w.WriteNumber("scanned", p.RowsScanned);
                    w.WriteNumber("batches", p.Batches);
                    w.WriteNumber("batchSize", p.BatchSize);
                    w.WriteNumber("rowsPerSecond", Math.Round(p.RowsPerSecond, 1));
                    if (p.EstimatedTotal is { } total)
                    {
                        w.WriteNumber("estimatedTotal", total);
                    }

                    if (p.Eta is { } eta)
                    {
                        w.WriteNumber("etaSeconds", Math.Round(eta.TotalSeconds, 1));
                    }
                }));
                return;
            }

            // not a terminal: one plain line every few seconds
            if (DateTime.UtcNow - lastLine < TimeSpan.FromSeconds(3))
            {
                return;
            }

            lastLine = DateTime.UtcNow;
            var eta = p.Eta is { } e ? $", ETA {e:hh\\:mm\\:ss}" : string.Empty;
            io.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backfill {spec.Table}: {p.RowsDone:N0} rows updated, {p.RowsScanned:N0} scanned, {p.RowsPerSecond:N0} rows/s, batch {p.BatchSize:N0}{eta}"));
        });
        return await BackfillRunner.RunAsync(engine, target, spec, plain, ct).ConfigureAwait(false);
    }

    private static string JsonLine(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
