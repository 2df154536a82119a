namespace Stepwise.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Out, string Error);

internal static class CliRunner
{
    public static string Root { get; } = FindRoot();

    /// <summary>Runs `stepwise` in-process with the working directory at the repository root.</summary>
    public static CliResult RunWithInput(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var previous = Directory.GetCurrentDirectory();
        lock (Gate)
        {
            Directory.SetCurrentDirectory(Root);
            try
            {
                var code = StepwiseCli.Run(args, new StringReader(stdin), output, error);
                return new CliResult(code, output.ToString(), error.ToString());
            }
            finally
            {
                Directory.SetCurrentDirectory(previous);
            }
        }
    }

    public static CliResult Run(params string[] args) => RunWithInput(string.Empty, args);

    private static readonly object Gate = new();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Stepwise.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
