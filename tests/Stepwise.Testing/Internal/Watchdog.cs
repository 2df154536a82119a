namespace Stepwise.Testing.Internal;

/// <summary>
/// A small shell per server that stops it and deletes its folder when this test process dies, however it
/// dies: it blocks reading a pipe whose only writer is this process, and the kernel closes that pipe even on
/// SIGKILL (test runners do kill their test hosts). A normal stop kills the watchdog first.
/// </summary>
internal static class Watchdog
{
    private const string Script = "exec >/dev/null 2>&1; read -r _; folder=$1; shift; \"$@\"; rm -rf -- \"$folder\"";

    /// <summary>Starts a watchdog that runs <paramref name="stop"/> and then deletes <paramref name="folder"/>.</summary>
    public static ChildProcessHandle Start(string folder, IReadOnlyList<string> stop)
    {
        var shell = Tools.Which("sh", Tools.DefaultSearchPath)
            ?? throw new InvalidOperationException("sh is not on the search path");
        return ChildProcess.Start(
            shell,
            ["-c", Script, "stepwise-watchdog", folder, .. stop],
            Tools.ToolEnvironment,
            workingDirectory: null,
            standardInput: null,
            keepInputOpen: true);
    }
}
