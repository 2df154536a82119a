using System.CommandLine;
using Stepwise.Analysis;
using Stepwise.Analysis.Configuration;
using Stepwise.Engines;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Running;
using Stepwise.Migrations.Scratch;
using Stepwise.Migrations.Verify;
using Stepwise.Sql;

namespace Stepwise.Cli.Commands;

/// <summary>verify and diff: both work on a scratch database (SQLite: a temp file; PostgreSQL/MySQL: a random
/// database on --scratch's server, or on a throwaway local server), dropped afterwards, also on Ctrl-C.</summary>
internal static class VerifyCommands
{
    public static IEnumerable<Command> Create(CliIo io)
    {
        yield return VerifyCommand(io);
        yield return DiffCommand(io);
    }

    private sealed class Common
    {
        public Option<string?> Dir { get; } = new("--dir") { Description = "Migrations folder (default: stepwise.toml's `migrations`, else ./migrations)." };

        public Option<string?> Layout { get; } = new("--layout") { Description = $"auto, {string.Join(", ", LayoutKinds.Names)} (default auto)." };

        public Option<string?> Scratch { get; } = new("--scratch") { Description = "A server where stepwise may create and drop a database with a random name (postgres://user@host, mysql://user@host; a URL naming no database logs in to postgres / information_schema). Default: SQLite needs none; for PostgreSQL and MySQL a throwaway local server is started from the installed binaries." };

        public Option<string?> Dialect { get; } = new("--dialect", "-d") { Description = "postgres, mysql (also MariaDB) or sqlite, when neither --scratch nor --database says it. Default: stepwise.toml, then postgres." };

        public Option<string> Format { get; } = new("--format", "-f") { Description = "text or json.", DefaultValueFactory = _ => "text" };

        public Common()
        {
            Layout.AcceptOnlyFromAmong(["auto", .. LayoutKinds.Names]);
            Format.AcceptOnlyFromAmong("text", "json");
            Dialect.AcceptOnlyFromAmong("postgres", "postgresql", "pg", "mysql", "mariadb", "sqlite");
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Dir);
            command.Options.Add(Layout);
            command.Options.Add(Scratch);
            command.Options.Add(Dialect);
            command.Options.Add(Format);
        }
    }

    private static Command VerifyCommand(CliIo io)
    {
        var common = new Common();
        var pending = new Option<bool>("--pending") { Description = "Round-trip only the migrations not applied on --database (the others are only applied)." };
        var database = new Option<string?>("--database", "-u") { Description = "With --pending: the live database whose journal says what is applied (read-only). Default: $DATABASE_URL." };
        var command = new Command("verify", "Test the down migrations: on a scratch database, apply the history and, for each migration, seed rows, run up → down → up, and report a down that does not restore the schema (with a schema diff), a missing down, an up that fails after its down, and a down that throws away rows that existed before the up. Exit 1 if any.")
        {
            pending, database,
        };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var json = parse.GetValue(common.Format) == "json";
            DatabaseTarget? live = null;
            if (parse.GetValue(pending))
            {
                var url = parse.GetValue(database) ?? Environment.GetEnvironmentVariable("DATABASE_URL");
                if (!DatabaseTarget.TryParse(url, out live, out var error))
                {
                    io.Error.WriteLine($"stepwise: --pending needs the live database: {error}");
                    return StepwiseCli.ExitUsage;
                }
            }

            if (!Prepare(io, parse, common, live, out var options, out var dialect, out var scratchServer))
            {
                return StepwiseCli.ExitUsage;
            }

            var verifier = new MigrationVerifier(StepwiseMigrations.Engine);
            IReadOnlySet<string>? applied = null;
            if (live is not null)
            {
                var (set, problems) = await verifier.AppliedAsync(options, live, ct).ConfigureAwait(false);
                if (set is null)
                {
                    return InputError(io, "verify", problems);
                }

                applied = set;
            }

            var progress = new SyncProgress<VerifyEvent>(e =>
            {
                if (!json)
                {
                    io.Error.WriteLine($"{e.Version} {e.Name}: {e.Step}");
                }
            });
            return await WithScratchAsync(io, dialect, scratchServer, async scratch =>
            {
                var result = await verifier.VerifyAsync(options, scratch, applied, progress, ct).ConfigureAwait(false);
                return Report(io, "verify", json, result.Outcome, result.InputProblems, () => VerifyJson.Write(result), () => VerifyText.Lines(result));
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command DiffCommand(CliIo io)
    {
        var common = new Common();
        var database = new Option<string?>("--database", "-u") { Description = "The live database (read-only). Default: $DATABASE_URL." };
        var command = new Command("diff", "Drift: compare the live database's schema with the schema its applied migrations produce (replayed on a scratch database; all of them when it has no journal). Reports manual changes and hot fixes as a schema diff. Read-only on the live database. Exit 1 if any.")
        {
            database,
        };
        common.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var url = parse.GetValue(database) ?? Environment.GetEnvironmentVariable("DATABASE_URL");
            if (!DatabaseTarget.TryParse(url, out var live, out var error))
            {
                io.Error.WriteLine($"stepwise: {error}");
                return StepwiseCli.ExitUsage;
            }

            if (!Prepare(io, parse, common, live, out var options, out var dialect, out var scratchServer))
            {
                return StepwiseCli.ExitUsage;
            }

            if (dialect != live!.Dialect)
            {
                io.Error.WriteLine($"stepwise: --scratch is {SqlDialects.Name(dialect)} but --database is {SqlDialects.Name(live.Dialect)}");
                return StepwiseCli.ExitUsage;
            }

            var json = parse.GetValue(common.Format) == "json";
            var verifier = new MigrationVerifier(StepwiseMigrations.Engine);
            return await WithScratchAsync(io, dialect, scratchServer, async scratch =>
            {
                var result = await verifier.DiffAsync(options, live, scratch, null, ct).ConfigureAwait(false);
                return Report(io, "diff", json, result.Outcome, result.InputProblems, () => VerifyJson.Write(result), () => VerifyText.Lines(result));
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Prints a verify or diff result (JSON or text lines) and maps it to the exit code.</summary>
    private static int Report(CliIo io, string command, bool json, VerifyOutcome outcome, IReadOnlyList<RunProblem> inputProblems, Func<string> asJson, Func<IEnumerable<string>> asText)
    {
        if (outcome == VerifyOutcome.InputError)
        {
            return InputError(io, command, inputProblems);
        }

        if (json)
        {
            io.Out.WriteLine(asJson());
        }
        else
        {
            foreach (var line in asText())
            {
                io.Out.WriteLine(line);
            }
        }

        return outcome == VerifyOutcome.Clean ? StepwiseCli.ExitOk : StepwiseCli.ExitFindings;
    }

    private static bool Prepare(CliIo io, ParseResult parse, Common common, DatabaseTarget? live, out RunnerOptions options, out SqlDialect dialect, out DatabaseTarget? scratchServer)
    {
        options = null!;
        dialect = SqlDialect.PostgreSql;
        scratchServer = null;
        var dir = parse.GetValue(common.Dir);
        var configPath = StepwiseConfig.Find(dir ?? Directory.GetCurrentDirectory()) ?? StepwiseConfig.Find(Directory.GetCurrentDirectory());
        var config = configPath is null ? null : StepwiseConfig.Load(configPath, out _);
        dir ??= config?.Migrations is { } configured ? Path.Combine(Path.GetDirectoryName(configPath) ?? ".", configured) : "migrations";
        if (parse.GetValue(common.Scratch) is { } scratchUrl)
        {
            if (!DatabaseTarget.TryParseServer(scratchUrl, out scratchServer, out var error))
            {
                io.Error.WriteLine($"stepwise: --scratch: {error}");
                return false;
            }

            dialect = scratchServer!.Dialect;
        }
        else if (parse.GetValue(common.Dialect) is { } named && SqlDialects.TryParse(named, out var parsed))
        {
            dialect = parsed;
        }
        else if (live is not null)
        {
            dialect = live.Dialect;
        }
        else if (config?.Dialect is { } fromConfig)
        {
            dialect = fromConfig;
        }

        LayoutKinds.TryParseOrAuto(parse.GetValue(common.Layout), out var layout);
        options = new RunnerOptions { Directory = dir, Layout = layout, Lint = new LintOptions { Dialect = dialect }, LockWait = TimeSpan.FromSeconds(10) };
        return true;
    }

    /// <summary>Creates the scratch database (starting a local server when no --scratch was given), runs
    /// <paramref name="work"/>, and drops it: also when <paramref name="work"/> throws or Ctrl-C cancels it.</summary>
    internal static async Task<int> WithScratchAsync(CliIo io, SqlDialect dialect, DatabaseTarget? server, Func<DatabaseTarget, Task<int>> work, CancellationToken ct)
    {
        ILocalServer? local = null;
        try
        {
            if (server is null && dialect != SqlDialect.Sqlite)
            {
                try
                {
                    local = await StepwiseMigrations.StartLocalServerAsync(dialect, ct).ConfigureAwait(false);
                }
                catch (EngineException ex)
                {
                    io.Error.WriteLine($"stepwise: the local {SqlDialects.Name(dialect)} server did not start: {ex.Message}");
                    return StepwiseCli.ExitUsage;
                }

                if (local is null)
                {
                    io.Error.WriteLine($"stepwise: no --scratch URL and no local {(dialect == SqlDialect.PostgreSql ? "PostgreSQL" : "MariaDB/MySQL")} server binaries found");
                    return StepwiseCli.ExitUsage;
                }

                server = local.Server;
            }

            ScratchDatabase scratch;
            try
            {
                scratch = server is null ? ScratchDatabase.CreateSqlite() : await ScratchDatabase.CreateAsync(server, StepwiseMigrations.Engine, ct).ConfigureAwait(false);
            }
            catch (EngineException ex)
            {
                io.Error.WriteLine($"stepwise: cannot create a scratch database on {server!.Redacted}: {server.Scrub(ex.Message)}");
                return StepwiseCli.ExitUsage;
            }

            await using (scratch.ConfigureAwait(false))
            {
                return await work(scratch.Target).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            io.Error.WriteLine("stepwise: interrupted; the scratch database was dropped.");
            return StepwiseCli.ExitInterrupted;
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static int InputError(CliIo io, string command, IReadOnlyList<RunProblem> problems)
    {
        foreach (var problem in problems)
        {
            io.Error.WriteLine("stepwise: " + VerifyText.Problem(command, problem));
        }

        return StepwiseCli.ExitUsage;
    }
}
