using System.CommandLine;
using Stepwise.Analysis;
using Stepwise.Analysis.Reporting;
using Stepwise.Engines;
using Stepwise.Migrations;
using Stepwise.Migrations.Layouts;
using Stepwise.Migrations.Planning;
using Stepwise.Migrations.Scratch;
using Stepwise.Migrations.Trace;
using Stepwise.Sql;

namespace Stepwise.Cli.Commands;

/// <summary><c>stepwise trace</c>: run migrations on a scratch database with seeded tables and report what the
/// database really did (locks, rewrites), merged with lint.</summary>
internal static class TraceCommand
{
    public static Command Create(CliIo io)
    {
        var paths = new Argument<string[]>("paths") { Description = "Migration files to trace (the earlier migrations of their folder are applied first).", Arity = ArgumentArity.ZeroOrMore };
        var dir = new Option<string?>("--dir", "-d") { Description = "Trace every migration of this folder (tables are seeded as they appear)." };
        var scratch = new Option<string?>("--scratch") { Description = "A server where Stepwise may create and drop a database with a random name (default: a throwaway local server when PostgreSQL's or MariaDB's binaries are installed)." };
        var rows = new Option<int>("--rows") { Description = "Rows generated in every table before the traced statements run.", DefaultValueFactory = _ => 10_000 };
        var dialect = new Option<string?>("--dialect") { Description = "postgres or mysql, when no --scratch URL says it (default postgres)." };
        var format = new Option<string>("--format", "-f") { Description = "text, json or markdown.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "markdown");
        var command = new Command("trace", "Run pending migrations on a scratch database seeded with generated rows and report every lock each statement took (and what it blocks), every table or index rewrite and the duration; lint findings are marked confirmed or not, and effects lint missed are reported.\nExit codes: 0 every lock/rewrite finding confirmed and none unreported, 1 otherwise, 2 usage or connection error.")
        {
            paths, dir, scratch, rows, dialect, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            var selection = Select(parse.GetValue(paths) ?? [], parse.GetValue(dir), out var problem);
            if (selection is null)
            {
                io.Error.WriteLine("stepwise trace: " + problem);
                return StepwiseCli.ExitUsage;
            }

            var n = parse.GetValue(rows);
            if (n < 0)
            {
                io.Error.WriteLine("stepwise trace: --rows must be 0 or more");
                return StepwiseCli.ExitUsage;
            }

            var (folder, history, traced) = selection.Value;
            DatabaseTarget? server = null;
            SqlDialect wanted;
            if (parse.GetValue(scratch) is { } url)
            {
                if (!DatabaseTarget.TryParseServer(url, out server, out var error))
                {
                    io.Error.WriteLine("stepwise trace: --scratch: " + error);
                    return StepwiseCli.ExitUsage;
                }

                wanted = server!.Dialect;
            }
            else
            {
                wanted = parse.GetValue(dialect) is { } d && SqlDialects.TryParse(d, out var given) ? given : SqlDialect.PostgreSql;
            }

            if (wanted == SqlDialect.Sqlite)
            {
                io.Error.WriteLine("stepwise trace: SQLite has no lock tracing (one writer at a time; every schema change rewrites the table) — use PostgreSQL or MySQL/MariaDB");
                return StepwiseCli.ExitUsage;
            }

            // the scratch database (and a throwaway local server without --scratch) is dropped afterwards, also at Ctrl-C
            return await VerifyCommands.WithScratchAsync(io, wanted, server, async target =>
            {
                try
                {
                    await using var engine = StepwiseMigrations.Engine(target);
                    await engine.ConnectAsync(ct).ConfigureAwait(false);
                    var progress = new Progress<TraceProgress>(p => io.Error.WriteLine($"{p.Stage} {p.What}"));
                    var (statements, notes) = await TraceRunner.RunAsync(engine, history, traced, n, parse.GetValue(format) == "text" ? progress : null, ct).ConfigureAwait(false);
                    var findings = Lint(folder, traced, engine);
                    var (judged, unreported) = TraceMerge.Merge(statements, findings, PointsAt(statements));
                    var report = new TraceReport(statements, judged, unreported, n, notes);
                    TraceText.Write(report, parse.GetValue(format)!, io.Out);
                    return report.HasProblems ? StepwiseCli.ExitFindings : StepwiseCli.ExitOk;
                }
                catch (EngineException ex)
                {
                    io.Error.WriteLine("stepwise trace: " + target.Scrub(ex.Message));
                    return StepwiseCli.ExitUsage;
                }
            }, ct).ConfigureAwait(false);
        });
        return command;
    }

    private static (string Folder, IReadOnlyList<Migration> History, IReadOnlyList<Migration> Traced)? Select(string[] files, string? dir, out string problem)
    {
        problem = string.Empty;
        if ((files.Length == 0) == (dir is null))
        {
            problem = "give migration files or --dir D (one of them)";
            return null;
        }

        var folder = dir ?? (Path.GetDirectoryName(files[0]) is { Length: > 0 } parent ? parent : ".");
        var (set, problems) = MigrationSet.Open(folder, null);
        if (set is null)
        {
            problem = $"{folder}: " + string.Join("; ", problems.Select(p => p.ToString()));
            return null;
        }

        if (dir is not null)
        {
            return (folder, [], set.Versioned);
        }

        var wanted = files.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var traced = set.Versioned.Where(m => wanted.Contains(Path.GetFullPath(m.Up.Path))).ToList();
        if (traced.Count != wanted.Count)
        {
            problem = $"not every file given is an up migration of {folder}";
            return null;
        }

        var first = set.Versioned.ToList().IndexOf(traced[0]);
        return (folder, set.Versioned.Take(first).ToList(), traced);
    }

    private static List<Finding> Lint(string folder, IReadOnlyList<Migration> traced, IEngine engine)
    {
        var sources = LintSources.Read([folder], null, () => TextReader.Null, engine.Dialect);
        var files = traced.Select(m => Path.GetFullPath(m.Up.Path)).ToHashSet(StringComparer.Ordinal);
        var options = new LintOptions { Dialect = engine.Dialect, PgVersion = engine.Server.PostgresMajor > 0 ? engine.Server.PostgresMajor : 15 };
        return [.. Linter.Lint(sources.Inputs, options).Findings.Where(f => files.Contains(Path.GetFullPath(f.Path)))];
    }

    /// <summary>A finding belongs to the last traced statement of its file that starts on or before its line.</summary>
    private static Func<TracedStatement, Finding, bool> PointsAt(IReadOnlyList<TracedStatement> statements) => (statement, finding) =>
    {
        var path = Path.GetFullPath(finding.Path);
        var owner = statements
            .Where(s => Path.GetFullPath(s.Path) == path && s.Line <= finding.Start.Line)
            .LastOrDefault();
        return ReferenceEquals(owner, statement);
    };
}
