using System.Net;
using System.Net.Sockets;

namespace Stepwise.Testing.Internal;

/// <summary>Free TCP ports on 127.0.0.1, as the kernel hands them out for port 0.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    /// <summary>
    /// A port that was free a moment ago. Another process can still take it before the server binds, so
    /// callers retry on "address in use"; ports already given out in this process are never repeated.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Given)
            {
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
