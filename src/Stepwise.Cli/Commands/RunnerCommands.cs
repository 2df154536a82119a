using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Stepwise.Analysis;
using Stepwise.Analysis.Configuration;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;
using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;

namespace Stepwise.Cli.Commands;

/// <summary>new, status, up, down, validate, repair, force, baseline.</summary>
internal static class RunnerCommands
{
    internal sealed class Common
    {
        public Option<string?> Database { get; } = new("--database", "-u") { Description = "Database URL: postgres://user:pass@host:5432/db, mysql://… (also mariadb://), or sqlite:PATH. Default: $DATABASE_URL." };

        public Option<string?> Dir { get; } = new("--dir") { Description = "Migrations folder (default: stepwise.toml's `migrations`, else ./migrations)." };

        public Option<string?> Layout { get; } = new("--layout") { Description = $"auto, {string.Join(", ", LayoutKinds.Names)} (default auto)." };

        public Option<string> Format { get; } = new("--format", "-f") { Description = "text or json.", DefaultValueFactory = _ => "text" };

        public Option<string?> LockTimeout { get; } = new("--lock-timeout") { Description = "How long DDL may wait for a table lock before it gives up and retries (default 500ms). Units: ms, s, m." };

        public Option<string?> StatementTimeout { get; } = new("--statement-timeout") { Description = "Longest a statement may run (default 15m; 0 = no limit). CONCURRENTLY builds are never limited." };

        public Option<string?> LockWait { get; } = new("--lock-wait") { Description = "How long to wait for another stepwise run's migration lock before giving up (default 2m)." };

        public Common()
        {
            Layout.AcceptOnlyFromAmong(["auto", .. LayoutKinds.Names]);
            Format.AcceptOnlyFromAmong("text", "json");
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Database);
            command.Options.Add(Dir);
            command.Options.Add(Layout);
            command.Options.Add(Format);
            command.Options.Add(LockTimeout);
            command.Options.Add(StatementTimeout);
            command.Options.Add(LockWait);
        }
    }

    public static IEnumerable<Command> Create(CliIo io)
    {
        yield return NewCommand(io);
        yield return StatusCommand(io);
        yield return UpCommand(io);
        yield return DownCommand(io);
        foreach (var command in ExpandContractCommands.Create(io))
        {
            yield return command;
        }

        yield return Simple(io, "validate", "Check applied migrations against the files: changed files, missing files, failed migrations. Exit 1 if any.", (runner, options, target, _, ct) => runner.ValidateAsync(options, target, ct));
        yield return Simple(io, "repair", "After a fix: clear a failed migration's state (it resumes at the failed statement, or is pending again if nothing was applied) and accept changed checksums of applied files.", (runner, options, target, _, ct) => runner.RepairAsync(options, target, ct));
        yield return ForceCommand(io);
        yield return BaselineCommand(io);
    }

    private static Command NewCommand(CliIo io)
    {
        var name = new Argument<string>("name") { Description = "What the migration does, e.g. add_user_avatar." };
        var dir = new Option<string?>("--dir") { Description = "Migrations folder (default ./migrations)." };
        var layout = new Option<string?>("--layout") { Description = "The folder's layout (default auto: detected; an empty folder gets stepwise's)." };
        layout.AcceptOnlyFromAmong(["auto", .. LayoutKinds.Names]);
        var command = new Command("new", "Create a migration in the form the folder's layout reads (stepwise: a timestamped pair {yyyyMMddHHmmss}_{name}.up.sql and .down.sql; Flyway V{timestamp}__{name}.sql; a Drizzle journal entry and file; dbmate/goose/sql-migrate sections …).") { name, dir, layout };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(dir) ?? DefaultDir();
            var raw = parse.GetValue(name) ?? string.Empty;
            var clean = MigrationFileName(raw);
            if (clean.Length == 0)
            {
                io.Error.WriteLine("stepwise: the migration name must contain letters or digits");
                return StepwiseCli.ExitUsage;
            }

            LayoutKinds.TryParseOrAuto(parse.GetValue(layout), out var forced);
            var result = NewMigrationWriter.Write(folder, clean, raw, DateTime.UtcNow, forced);
            if (result.Problem is { } problem)
            {
                io.Error.WriteLine($"stepwise: {problem}");
                return StepwiseCli.ExitUsage;
            }

            foreach (var path in result.Written)
            {
                io.Out.WriteLine(path);
            }

            return StepwiseCli.ExitOk;
        });
        return command;
    }

    /// <summary>The name part of a new migration's file: Unicode letters and digits kept (lower case, NFC), every
    /// other character becomes '_', none at either end.</summary>
    internal static string MigrationFileName(string raw)
    {
        var name = new System.Text.StringBuilder();
        foreach (var rune in raw.Trim().Normalize(System.Text.NormalizationForm.FormC).EnumerateRunes())
        {
            name.Append(System.Text.Rune.IsLetterOrDigit(rune) ? System.Text.Rune.ToLowerInvariant(rune).ToString() : "_");
        }

        return name.ToString().Trim('_');
    }

    private static Command StatusCommand(CliIo io)
    {
        var common = new Common();
        var command = new Command("status", "Show every migration and its state: applied, pending, changed, missing, failed, skipped, running (another run is applying it), or, for expand/contract migrations, expanded (since when; both releases run until `complete` or `abort`), completing or aborting (interrupted: run that command again). Exit 1 if a migration changed, failed, lost its file or was interrupted.");
        common.AddTo(command);
        command.SetAction((parse, ct) => Execute(io, "status", parse, common, (runner, options, target, _, token) => runner.StatusAsync(options, target, token), ct, printStatus: true));
        return command;
    }

    private static Command UpCommand(CliIo io)
    {
        var common = new Common();
        var to = new Option<string?>("--to") { Description = "Apply up to and including this version." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would run (and how: in a transaction or statement by statement) without changing anything." };
        var allowUnsafe = new Option<bool>("--allow-unsafe") { Description = "Apply even if lint finds error-severity problems in pending migrations." };
        var outOfOrder = new Option<bool>("--allow-out-of-order") { Description = "Apply pending migrations older than the newest applied one." };
        var nice = NiceRatioOption("After each batch of an expand/contract migration's backfill, pause this many times the batch's duration, e.g. 1 to leave a busy server more headroom for the application (default 0: batches back to back).");
        var batchTime = new Option<TimeSpan?>("--batch-time")
        {
            Description = "Target duration of one batch of an expand/contract migration's backfill: an application write to a row in the batch waits about this long at most (default 100ms).",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (Durations.TryParse(text, out var t) && t is { } value && value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(1))
                {
                    return value;
                }

                result.AddError($"--batch-time must be a duration above 0 and at most 1m, e.g. 50ms (got '{text}')");
                return null;
            },
        };
        var command = new Command("up", "Lint pending migrations, then apply them in order: locked (one runner at a time), checksummed, each in a transaction where the database allows it, with a lock timeout and retries.")
        {
            to, dryRun, allowUnsafe, outOfOrder, batchTime, nice,
        };
        common.AddTo(command);
        command.SetAction((parse, ct) => Execute(io, "up", parse, common, (runner, options, target, progress, token) => runner.UpAsync(
            options with { TargetVersion = parse.GetValue(to), DryRun = parse.GetValue(dryRun), AllowUnsafe = parse.GetValue(allowUnsafe), AllowOutOfOrder = parse.GetValue(outOfOrder), BackfillNiceRatio = parse.GetValue(nice) ?? 0, BackfillBatchTime = parse.GetValue(batchTime) ?? RunnerOptions.DefaultBackfillBatchTime },
            target, progress, token), ct, printStatus: false));
        return command;
    }

    /// <summary><c>--nice-ratio R</c>: a number from 0 to 100 (a parse error, exit 2, otherwise).</summary>
    internal static Option<double?> NiceRatioOption(string description) => new("--nice-ratio")
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r >= 0 && r <= 100)
            {
                return r;
            }

            result.AddError($"--nice-ratio must be a number from 0 to 100, e.g. 1 to pause as long as each batch took (got '{text}')");
            return null;
        },
    };

    private static Command DownCommand(CliIo io)
    {
        var common = new Common();
        var count = new Argument<int?>("count") { Description = "How many migrations to roll back (default 1; at least 1).", Arity = ArgumentArity.ZeroOrOne };
        var to = new Option<string?>("--to") { Description = "Roll back every migration newer than this version." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be rolled back." };
        var command = new Command("down", "Roll back the newest applied migration(s) with their down migrations.") { count, to, dryRun };
        common.AddTo(command);
        command.SetAction((parse, ct) => Execute(io, "down", parse, common, (runner, options, target, progress, token) => runner.DownAsync(
            options with { TargetVersion = parse.GetValue(to), DryRun = parse.GetValue(dryRun) }, target, parse.GetValue(count) ?? 1, progress, token), ct, printStatus: false));
        return command;
    }

    private static Command ForceCommand(CliIo io)
    {
        var common = new Common();
        var version = new Argument<string>("version") { Description = "The version to record as the current one (0: none)." };
        var command = new Command("force", "Set the recorded version without running SQL: migrations up to VERSION are recorded as applied, later records removed.") { version };
        common.AddTo(command);
        command.SetAction((parse, ct) => Execute(io, "force", parse, common, (runner, options, target, _, token) => runner.ForceAsync(options, target, parse.GetValue(version)!, token), ct, printStatus: false));
        return command;
    }

    private static Command BaselineCommand(CliIo io)
    {
        var common = new Common();
        var version = new Argument<string?>("version") { Description = "Record migrations up to this version as applied (default: all).", Arity = ArgumentArity.ZeroOrOne };
        var from = new Option<string?>("--from") { Description = $"Adopt a database migrated by another tool: read its history table ({string.Join(", ", ForeignTools.Names)})." };
        from.AcceptOnlyFromAmong([.. ForeignTools.Names]);
        var historyTable = new Option<string?>("--history-table") { Description = "With --from: the tool's history table when it is not the default name (e.g. drizzle's migrations.table)." };
        var command = new Command("baseline", "Start the journal of an existing database without running SQL.") { version, from, historyTable };
        common.AddTo(command);
        command.SetAction((parse, ct) => Execute(io, "baseline", parse, common, (runner, options, target, _, token) => runner.BaselineAsync(options with { HistoryTable = parse.GetValue(historyTable) }, target, parse.GetValue(version), parse.GetValue(from), token), ct, printStatus: false));
        return command;
    }

    private static Command Simple(CliIo io, string name, string description, Func<MigrationRunner, RunnerOptions, DatabaseTarget, IProgress<RunnerEvent>, CancellationToken, Task<RunResult>> action)
    {
        var common = new Common();
        var command = new Command(name, description);
        common.AddTo(command);
        command.SetAction((parse, ct) => Execute(io, name, parse, common, action, ct, printStatus: name == "validate"));
        return command;
    }

    private static string DefaultDir()
    {
        var configPath = StepwiseConfig.Find(Directory.GetCurrentDirectory());
        if (configPath is not null)
        {
            var config = StepwiseConfig.Load(configPath, out _);
            if (config.Migrations is { } dir)
            {
                return Path.Combine(Path.GetDirectoryName(configPath) ?? ".", dir);
            }
        }

        return "migrations";
    }

    private static bool TryDuration(string? text, TimeSpan fallback, out TimeSpan value)
    {
        var ok = Durations.TryParse(text, out var parsed);
        value = parsed ?? fallback;
        return ok;
    }

    internal static async Task<int> Execute(CliIo io, string name, ParseResult parse, Common common, Func<MigrationRunner, RunnerOptions, DatabaseTarget, IProgress<RunnerEvent>, CancellationToken, Task<RunResult>> action, CancellationToken ct, bool printStatus)
    {
        var url = parse.GetValue(common.Database) ?? Environment.GetEnvironmentVariable("DATABASE_URL");
        if (!DatabaseTarget.TryParse(url, out var target, out var error))
        {
            io.Error.WriteLine($"stepwise: {error}");
            return StepwiseCli.ExitUsage;
        }

        if (!TryDuration(parse.GetValue(common.LockTimeout), TimeSpan.FromMilliseconds(500), out var lockTimeout) ||
            !TryDuration(parse.GetValue(common.StatementTimeout), TimeSpan.FromMinutes(15), out var statementTimeout) ||
            !TryDuration(parse.GetValue(common.LockWait), TimeSpan.FromMinutes(2), out var lockWait))
        {
            io.Error.WriteLine("stepwise: timeouts look like 500ms, 2s or 15m");
            return StepwiseCli.ExitUsage;
        }

        LayoutKinds.TryParseOrAuto(parse.GetValue(common.Layout), out var layout);
        var json = parse.GetValue(common.Format) == "json";
        var options = new RunnerOptions
        {
            Directory = parse.GetValue(common.Dir) ?? DefaultDir(),
            Layout = layout,
            LockTimeout = lockTimeout,
            StatementTimeout = statementTimeout,
            LockWait = lockWait,
            Lint = new LintOptions { Dialect = target!.Dialect },
        };
        var backfillShown = TimeSpan.MinValue;
        var progress = new SyncProgress<RunnerEvent>(e =>
        {
            if (json)
            {
                return;
            }

            if (e.Kind == RunnerEventKind.BackfillProgress && e.Backfill is { } b)
            {
                // the first batch, then at most one line every few seconds (a batch takes ~100 ms; a line each would flood the log)
                if (backfillShown != TimeSpan.MinValue && b.Elapsed - backfillShown < TimeSpan.FromSeconds(3))
                {
                    return;
                }

                backfillShown = b.Elapsed;
            }

            if (RunnerText.Event(e) is { } line)
            {
                io.Error.WriteLine(line);
            }
        });
        RunResult result;
        try
        {
            result = await action(StepwiseMigrations.Runner(), options, target, progress, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: the statement in flight was cancelled and its transaction rolled back; the journal records
            // what committed (a statement-by-statement migration resumes at its next statement)
            io.Error.WriteLine("stepwise: interrupted; what committed is recorded in the journal. Run the same command again to continue.");
            return StepwiseCli.ExitInterrupted;
        }

        Render(io, name, result, json, printStatus);
        if (ct.IsCancellationRequested && result.Outcome != RunOutcome.Ok)
        {
            return StepwiseCli.ExitInterrupted; // a backfill migration stopped between batches at Ctrl-C
        }

        return result.Outcome switch
        {
            RunOutcome.Ok => StepwiseCli.ExitOk,
            RunOutcome.ActionNeeded => StepwiseCli.ExitFindings,
            _ => StepwiseCli.ExitUsage,
        };
    }

    private static void Render(CliIo io, string command, RunResult result, bool json, bool printStatus)
    {
        var lines = RunnerText.Lines(command, result);
        if (json)
        {
            io.Out.WriteLine(RunnerJson.Write(result, lines));
            return;
        }

        if (result.Problems.OfType<LintRefused>().FirstOrDefault() is { } refusal)
        {
            ReportWriter.Write(refusal.Report, ReportFormat.Text, io.Out, new ReportOptions { Rules = RuleCatalog.Infos(), Color = io.ColorOutput, ToolVersion = LintCommand.Version });
        }

        foreach (var line in lines)
        {
            (result.Outcome == RunOutcome.Ok ? io.Out : io.Error).WriteLine(result.Outcome == RunOutcome.Ok ? line : "stepwise: " + line);
        }

        if (printStatus && result.Statuses.Count > 0)
        {
            var width = Math.Max(7, result.Statuses.Max(s => s.Version.Length));
            var stateWidth = Math.Max(8, result.Statuses.Max(s => MigrationStatus.StateName(s.State).Length));
            io.Out.WriteLine($"{"VERSION".PadRight(width)}  {"STATE".PadRight(stateWidth)} NAME");
            foreach (var s in result.Statuses)
            {
                io.Out.WriteLine($"{s.Version.PadRight(width)}  {MigrationStatus.StateName(s.State).PadRight(stateWidth)} {s.Name}");
            }

            foreach (var line in result.Statuses.Select(ExpandContractText.StatusLine).OfType<string>())
            {
                io.Out.WriteLine(line);
            }

            if (result.RunningUnder is { } holder)
            {
                foreach (var s in result.Statuses.Where(s => s.State == MigrationStatusKind.Running))
                {
                    io.Out.WriteLine($"{s.Version} {s.Name} is being applied by another stepwise run (migration lock held by {RunnerText.Holder(holder)})");
                }
            }
        }
    }
}
