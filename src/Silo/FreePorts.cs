using System.Net;
using System.Net.Sockets;

namespace Vectros.Silo;

/// <summary>
/// TCP ports for silos that must not collide with others on the machine (test servers, the admin command's private
/// silo). The kernel hands out a free ephemeral port for a listener bound to port 0; the listener is closed again and
/// the port used for the silo a moment later. Ports already handed out in this process are never repeated, so two
/// silos of one process cannot get the same one.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
