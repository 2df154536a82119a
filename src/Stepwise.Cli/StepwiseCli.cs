using System.CommandLine;
using Stepwise.Engines;
using Stepwise.Cli.Commands;
using Stepwise.Migrations.Running;

namespace Stepwise.Cli;

/// <summary>The `stepwise` command: parses arguments, calls the library, renders, maps to exit codes.
/// Runs in-process with any reader/writers, so tests can drive it without spawning a process.</summary>
public static class StepwiseCli
{
    /// <summary>Done, or nothing found.</summary>
    public const int ExitOk = 0;

    /// <summary>Something to act on: findings, a failed or changed migration, lint refused, lock not obtained.</summary>
    public const int ExitFindings = 1;

    /// <summary>Bad usage or input, or no connection: nothing was changed.</summary>
    public const int ExitUsage = 2;

    /// <summary>Ctrl-C (SIGINT) or SIGTERM stopped the work at a safe point; running the command again resumes.</summary>
    public const int ExitInterrupted = 130;

    /// <summary>Runs one command line with the given streams; returns its exit code.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIo(stdin, stdout, stderr);
        var root = new RootCommand(
            "Stepwise makes schema changes safe on live PostgreSQL, MySQL/MariaDB and SQLite databases.\n" +
            "It lints migrations for operations that lock or rewrite hot tables, break running code or lose data,\n" +
            "and prints the safe alternative for each; it applies migrations with a lock, checksums, lock timeouts and retries.")
        {
            LintCommand.Create(io),
            ExplainCommand.Create(io),
            TraceCommand.Create(io),
        };
        foreach (var command in RunnerCommands.Create(io))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(BackfillCommand.Create(io));
        foreach (var command in VerifyCommands.Create(io))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"stepwise: {HidePasswords(error.Message, args)}");
            }

            var command = parse.CommandResult.Command;
            var name = command == root ? "stepwise" : "stepwise " + command.Name;
            stderr.WriteLine($"Run '{name} --help' for usage.");
            return ExitUsage;
        }

        try
        {
            return parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(10) }).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // never a stack trace for the user; STEPWISE_DEBUG=1 shows it
            stderr.WriteLine($"stepwise: internal error: {HidePasswords(ex.Message, args)}");
            if (Environment.GetEnvironmentVariable("STEPWISE_DEBUG") == "1")
            {
                stderr.WriteLine(HidePasswords(ex.ToString(), args));
            }
            else
            {
                stderr.WriteLine("Please report this; set STEPWISE_DEBUG=1 to see the details.");
            }

            return ExitUsage;
        }
    }

    /// <summary>The parser echoes stray arguments ("Unrecognized argument 'postgres://u:pw@…'"): hide the
    /// password of any argument that looks like a database URL, even one that does not parse.</summary>
    private static string HidePasswords(string message, string[] args)
    {
        foreach (var arg in args)
        {
            if (arg.Contains("://", StringComparison.Ordinal))
            {
                message = DatabaseTarget.ScrubSecrets(message, arg);
            }
        }

        return message;
    }
}

/// <summary>The streams a command reads and writes.</summary>
public sealed record CliIo(TextReader In, TextWriter Out, TextWriter Error)
{
    /// <summary>Colour only on a real terminal, and never when NO_COLOR is set.</summary>
    public bool ColorOutput =>
        ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected &&
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
}
