using System.CommandLine;
using System.Reflection;
using Stepwise.Analysis;
using Stepwise.Analysis.Configuration;
using Stepwise.Analysis.Reporting;
using Stepwise.Analysis.Rules;
using Stepwise.Engines;
using Stepwise.Migrations;
using Stepwise.Migrations.Layouts;
using Stepwise.Sql;

namespace Stepwise.Cli.Commands;

internal static class LintCommand
{
    public static Command Create(CliIo io)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Migration folders, .sql files, or - for standard input (default: the configured migrations folder, else ./migrations).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var dialect = new Option<string?>("--dialect", "-d")
        {
            Description = "SQL dialect: postgres, mysql (also MariaDB) or sqlite. Default: stepwise.toml, then the folder's own hint (Prisma), then postgres.",
        };
        dialect.AcceptOnlyFromAmong("postgres", "postgresql", "pg", "mysql", "mariadb", "sqlite");
        var pgVersion = new Option<int?>("--pg-version")
        {
            Description = "Target PostgreSQL major version (default 15): decides e.g. whether SET NOT NULL can skip its scan (12+).",
        };
        var mysqlVersion = new Option<string?>("--mysql-version")
        {
            Description = "Target MySQL/MariaDB version, e.g. 8.0.35 or mariadb-10.11 (default MySQL 8.0).",
        };
        var layout = new Option<string?>("--layout")
        {
            Description = $"Folder layout: auto, {string.Join(", ", LayoutKinds.Names)} (default auto: detected).",
        };
        layout.AcceptOnlyFromAmong(["auto", .. LayoutKinds.Names]);
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output: text, json, sarif (2.1.0, for code scanning), github (workflow annotations), markdown (a pull-request comment) or gitlab (Code Quality JSON).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong([.. ReportFormats.Names]);
        var config = new Option<string?>("--config")
        {
            Description = "Path of a stepwise.toml (default: searched upward from the current folder).",
        };
        var changedSince = new Option<string?>("--changed-since")
        {
            Description = "Replay everything, but report only files added or changed since this git ref (e.g. origin/main): a pull request is judged on what it adds.",
        };
        var only = new Option<string[]>("--only")
        {
            Description = "Replay everything, but report only this file (repeat it for more; --changed-since without git).",
        };
        var database = new Option<string?>("--database")
        {
            Description = "A live database (postgres:// or mysql:// URL): findings name their table's size from catalog statistics (never user data); locking findings on small or new tables drop to info.",
        };
        var smallTable = new Option<long?>("--small-table")
        {
            Description = $"With --database: tables with fewer estimated rows are small (default stepwise.toml small-table, else {SizeAwareLint.DefaultSmallTable}).",
        };

        var command = new Command("lint", "Check migrations for operations that are dangerous on a live database.\n" +
            "Exit codes: 0 no error-severity findings, 1 findings at error severity, 2 usage or input error.\n" +
            "Examples:\n  stepwise lint migrations/\n  stepwise lint --format sarif db/migrations > stepwise.sarif\n  python manage.py sqlmigrate app 0015 | stepwise lint -\n  stepwise lint --database \"$DATABASE_URL\" migrations/")
        {
            paths, dialect, pgVersion, mysqlVersion, layout, format, config, changedSince, only, database, smallTable,
        };
        command.SetAction((parse, ct) => RunAsync(io, new Request(
            parse.GetValue(paths) ?? [],
            parse.GetValue(dialect),
            parse.GetValue(pgVersion),
            parse.GetValue(mysqlVersion),
            parse.GetValue(layout),
            parse.GetValue(format) ?? "text",
            parse.GetValue(config),
            parse.GetValue(changedSince),
            parse.GetValue(only) ?? [],
            parse.GetValue(database),
            parse.GetValue(smallTable)), ct));
        return command;
    }

    private sealed record Request(string[] Paths, string? Dialect, int? PgVersion, string? MySqlVersion, string? Layout, string Format, string? Config, string? ChangedSince, string[] Only, string? Database, long? SmallTable);

    private static async Task<int> RunAsync(CliIo io, Request request, CancellationToken ct)
    {
        DatabaseTarget? live = null;
        if (request.Database is not null && !DatabaseTarget.TryParse(request.Database, out live, out var urlError))
        {
            io.Error.WriteLine($"stepwise: --database: {urlError}");
            return StepwiseCli.ExitUsage;
        }

        if (request.SmallTable is < 0)
        {
            io.Error.WriteLine("stepwise: --small-table must be a row count (0 or more)");
            return StepwiseCli.ExitUsage;
        }

        // the config beside the migrations wins over the one above the current folder
        var firstFolder = request.Paths.Select(p => Directory.Exists(p) ? p : Path.GetDirectoryName(Path.GetFullPath(p))).FirstOrDefault(p => p is not null && p != "-" && Directory.Exists(p));
        var configPath = request.Config ?? (firstFolder is null ? null : StepwiseConfig.Find(firstFolder)) ?? StepwiseConfig.Find(Directory.GetCurrentDirectory());
        var config = new StepwiseConfig();
        if (request.Config is not null && !File.Exists(request.Config))
        {
            io.Error.WriteLine($"stepwise: no such config file: {request.Config}");
            return StepwiseCli.ExitUsage;
        }

        if (configPath is not null)
        {
            config = StepwiseConfig.Load(configPath, out var configErrors);
            if (configErrors.Count > 0)
            {
                foreach (var e in configErrors)
                {
                    io.Error.WriteLine($"stepwise: {e}");
                }

                return StepwiseCli.ExitUsage;
            }
        }

        MySqlTarget? mysql = null;
        if (request.MySqlVersion is not null)
        {
            if (!MySqlTarget.TryParse(request.MySqlVersion, out var parsed))
            {
                io.Error.WriteLine($"stepwise: --mysql-version '{request.MySqlVersion}' is not a version like 8.0.35 or mariadb-10.11");
                return StepwiseCli.ExitUsage;
            }

            mysql = parsed;
        }

        if (request.PgVersion is { } pv && pv is < 9 or > 30)
        {
            io.Error.WriteLine($"stepwise: --pg-version {pv} is not a PostgreSQL major version (e.g. 15)");
            return StepwiseCli.ExitUsage;
        }

        LayoutKinds.TryParseOrAuto(request.Layout ?? config.Layout, out var layout);
        var paths = request.Paths.Length > 0 ? request.Paths : [DefaultFolder(config, configPath)];
        SqlDialect? chosen = request.Dialect is not null && SqlDialects.TryParse(request.Dialect, out var given) ? given : config.Dialect ?? live?.Dialect;
        var sources = LintSources.Read(paths, layout, () => io.In, chosen); // pop folders: the chosen dialect's files
        if (sources.Errors.Count > 0)
        {
            foreach (var e in sources.Errors)
            {
                io.Error.WriteLine($"stepwise: {e}");
            }

            return StepwiseCli.ExitUsage;
        }

        if (ReportedFiles(io, request, firstFolder ?? Directory.GetCurrentDirectory()) is not { } reported)
        {
            return StepwiseCli.ExitUsage;
        }

        var inputs = reported.Count == 0 && request.ChangedSince is null && request.Only.Length == 0
            ? sources.Inputs
            : [.. sources.Inputs.Select(i => i.Source.Path == "-" || reported.Contains(Path.GetFullPath(i.Source.Path)) ? i : i with { Reported = false })];
        var dialect = SqlDialect.PostgreSql;
        if (request.Dialect is not null)
        {
            SqlDialects.TryParse(request.Dialect, out dialect);
        }
        else if (config.Dialect is { } configured)
        {
            dialect = configured;
        }
        else if (live is not null)
        {
            dialect = live.Dialect;
        }
        else if (sources.DialectHint is { } hint)
        {
            dialect = hint;
        }

        var options = new LintOptions
        {
            Dialect = dialect,
            PgVersion = request.PgVersion ?? config.PgVersion ?? 15,
            MySql = mysql ?? config.MySql ?? MySqlTarget.Default,
            RuleSeverities = config.Rules,
            FileSuppressions = config.Ignores,
        };
        // `dotnet ef migrations script | stepwise lint -`: each EF migration judged against the ones before it
        var split = EfMigrationScript.SplitInputs(inputs, dialect);
        var report = Linter.Lint(split, options);
        var filtered = inputs != sources.Inputs;
        report = WithLayoutProblems(report, sources, p => !filtered || reported.Contains(Path.GetFullPath(p)));
        if (live is not null)
        {
            if (await LintDatabase.ReadSizesAsync(io, live, ct).ConfigureAwait(false) is not { } sizes)
            {
                return StepwiseCli.ExitUsage;
            }

            report = SizeAwareLint.Apply(report, sizes.Select(s => (s.Table, s.Rows, s.Bytes)), request.SmallTable ?? config.SmallTable ?? SizeAwareLint.DefaultSmallTable);
        }
        ReportFormats.TryParse(request.Format, out var reportFormat);
        ReportWriter.Write(report, reportFormat, io.Out, new ReportOptions
        {
            Rules = RuleCatalog.Infos(),
            Color = reportFormat == ReportFormat.Text && io.ColorOutput,
            ToolVersion = Version,
        });
        io.Out.Flush();
        return report.HasErrors ? StepwiseCli.ExitFindings : StepwiseCli.ExitOk;
    }

    /// <summary>The full paths to report on (--only, --changed-since); empty when every file is reported; null
    /// after an error was written.</summary>
    private static HashSet<string>? ReportedFiles(CliIo io, Request request, string gitFolder)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in request.Only)
        {
            if (!File.Exists(path))
            {
                io.Error.WriteLine($"stepwise: --only names no such file: {path}");
                return null;
            }

            set.Add(Path.GetFullPath(path));
        }

        if (request.ChangedSince is { } gitRef)
        {
            if (GitChanges.Since(gitRef, gitFolder, out var error) is not { } changed)
            {
                io.Error.WriteLine($"stepwise: {error}");
                return null;
            }

            set.UnionWith(changed);
        }

        return set;
    }

    private static string DefaultFolder(StepwiseConfig config, string? configPath)
    {
        if (config.Migrations is { } dir && configPath is not null)
        {
            return Path.Combine(Path.GetDirectoryName(configPath) ?? ".", dir);
        }

        return "migrations";
    }

    /// <summary>Layout problems (duplicate versions, unparseable names, drizzle skips) are findings of the
    /// folder, so they show in every output format.</summary>
    private static LintReport WithLayoutProblems(LintReport report, LintSources sources, Func<string, bool> reported)
    {
        if (sources.Problems.Count == 0)
        {
            return report;
        }

        var findings = new List<Finding>(report.Findings);
        foreach (var problem in sources.Problems.Where(p => reported(p.Path)))
        {
            findings.Add(new Finding("layout", problem.Severity switch { ProblemSeverity.Error => Severity.Error, ProblemSeverity.Note => Severity.Info, _ => Severity.Warning },
                new SourceText(string.Empty, problem.Path), new Sql.TextSpan(0, 0), problem.Message, "Fix the migration folder so every migration has one version and a name the layout understands."));
        }

        return report with { Findings = findings };
    }

    internal static string Version { get; } =
        typeof(LintCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.1.0";
}
