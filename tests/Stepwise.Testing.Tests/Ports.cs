using System.Net.Sockets;

namespace Stepwise.Testing.Tests;

internal static class Ports
{
    /// <summary>True when nothing accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<bool> IsClosedAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port).WaitAsync(TimeSpan.FromSeconds(5));
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    /// <summary>True when <paramref name="pid"/> is no longer running (gone, or a zombie nobody has reaped yet).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X";
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Makes a running server's folder look as if its test process had been killed.</summary>
    public static void OrphanFolder(string folder) => File.WriteAllText(Path.Combine(folder, "owner"), "1 0\n");
}
