using System.Collections.Concurrent;

namespace Stepwise.Testing.Internal;

/// <summary>A server that can be stopped synchronously, from a process-exit handler.</summary>
internal interface IEmergencyStop
{
    void StopNow();
}

/// <summary>
/// Servers still running in this process. On normal process exit (including SIGTERM) they are stopped,
/// so a test run that forgets a Dispose, or is interrupted, leaves nothing behind.
/// </summary>
internal static class ServerRegistry
{
    private static readonly ConcurrentDictionary<IEmergencyStop, byte> Live = new();

    static ServerRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
    }

    public static void Add(IEmergencyStop server) => Live.TryAdd(server, 0);

    public static void Remove(IEmergencyStop server) => Live.TryRemove(server, out _);

    private static void StopAll()
    {
        foreach (var server in Live.Keys)
        {
            try
            {
                server.StopNow();
            }
#pragma warning disable CA1031 // the process is exiting: stop every server we can, whatever one of them throws
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
