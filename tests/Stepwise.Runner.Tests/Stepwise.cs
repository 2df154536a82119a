using Stepwise.Testing;

namespace Stepwise.Runner.Tests;

/// <summary>Runs the real `stepwise` program (the CLI assembly built next to the tests) as a child process.</summary>
internal static class Stepwise
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "stepwise.dll");

    public static Task<ChildProcessResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        ChildProcess.RunAsync("dotnet", [Dll, .. args], environment: null, timeout: timeout, workingDirectory: workingDirectory);

    public static ChildProcessHandle Start(string workingDirectory, params string[] args) =>
        ChildProcess.Start("dotnet", [Dll, .. args], environment: null, workingDirectory: workingDirectory);
}
