using System.CommandLine;

namespace Stepwise.Cli.Commands;

/// <summary><c>complete</c> and <c>abort</c>: the two ways an expand/contract migration leaves <c>expanded</c>.</summary>
internal static class ExpandContractCommands
{
    public static IEnumerable<Command> Create(CliIo io)
    {
        yield return CompleteCommand(io);
        yield return AbortCommand(io);
    }

    private static Command CompleteCommand(CliIo io)
    {
        var common = new RunnerCommands.Common();
        var version = new Argument<string?>("version") { Description = "The expanded migration to complete (default: every expanded migration, in order).", Arity = ArgumentArity.ZeroOrOne };
        var quiet = new Option<string?>("--quiet-period") { Description = "Refuse while the database saw a query using a name only the old release uses within this period (default 15m). Checked where the database can tell: PostgreSQL with pg_stat_statements, MySQL/MariaDB with performance_schema." };
        var force = new Option<bool>("--force") { Description = "Complete even if queries of the old release were seen recently (they will fail once the old names are gone)." };
        var command = new Command(
            "complete",
            "Run the contract phase of expanded migrations (`-- stepwise:expand-contract` files that `up` expanded): drop the old names, "
            + "sync triggers, views and old columns, finalise constraints, swap retyped columns. Run it once no instance of the old release runs: "
            + "first it checks, where the database can tell, that no query used an old name within the quiet period, and refuses (exit 1) naming "
            + "the queries. An interrupted complete resumes where it stopped.")
        {
            version, quiet, force,
        };
        common.AddTo(command);
        command.SetAction((parse, ct) =>
        {
            if (!Durations.TryParse(parse.GetValue(quiet), out var period))
            {
                io.Error.WriteLine("stepwise: --quiet-period looks like 15m or 90s");
                return Task.FromResult(StepwiseCli.ExitUsage);
            }

            return RunnerCommands.Execute(io, "complete", parse, common, (runner, options, target, progress, token) => runner.CompleteAsync(
                options, target, parse.GetValue(version), period ?? TimeSpan.FromMinutes(15), parse.GetValue(force), progress, token), ct, printStatus: false);
        });
        return command;
    }

    private static Command AbortCommand(CliIo io)
    {
        var common = new RunnerCommands.Common();
        var version = new Argument<string?>("version") { Description = "The expanded (or interrupted) migration to abort (default: every one, newest first).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(
            "abort",
            "Undo the expand phase of expand/contract migrations: drop what expand added (triggers, functions, new columns, views, indexes) "
            + "and leave the schema exactly as before `up`; the migration is pending again. Works after any partial expand; `down` of an "
            + "expanded migration does the same. A migration whose `complete` started cannot be aborted.")
        {
            version,
        };
        common.AddTo(command);
        command.SetAction((parse, ct) => RunnerCommands.Execute(io, "abort", parse, common, (runner, options, target, progress, token) => runner.AbortAsync(
            options, target, parse.GetValue(version), progress, token), ct, printStatus: false));
        return command;
    }
}
