using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Vectros.Bench;

/// <summary>
/// A scale for cross-silo grain calls: one small message and its echo over loopback TCP, one connection per
/// concurrent loop, no serialisation, directory or scheduling. Printed for scale, not as a verdict.
/// </summary>
public sealed class LoopbackEcho : IAsyncDisposable
{
    /// <summary>About the size of a small grain request on the wire (header, ids, one short argument).</summary>
    public const int MessageBytes = 128;

    private readonly List<Socket> _sockets = [];
    private readonly List<Task> _echoes = [];
    private readonly ConcurrentQueue<Socket> _idle = new();

    public static async Task<LoopbackEcho> StartAsync(int connections)
    {
        var echo = new LoopbackEcho();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        for (var i = 0; i < connections; i++)
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await client.ConnectAsync(listener.LocalEndpoint);
            var server = await listener.AcceptSocketAsync();
            server.NoDelay = true;
            echo._sockets.Add(client);
            echo._sockets.Add(server);
            echo._echoes.Add(EchoAsync(server));
            echo._idle.Enqueue(client);
        }

        return echo;
    }

    /// <summary>Sends one message on an idle connection and waits for all of it to come back.</summary>
    public async Task RoundTripAsync()
    {
        // Measurement runs at most one operation per connection at a time, so an idle one is always there.
        if (!_idle.TryDequeue(out var socket))
        {
            throw new InvalidOperationException("More concurrent round trips than connections.");
        }

        var buffer = new byte[MessageBytes];
        await socket.SendAsync(buffer);
        await ReceiveExactlyAsync(socket, buffer);
        _idle.Enqueue(socket);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        // Closing the sockets ends every echo loop (a zero-byte read or a SocketException).
        await Task.WhenAll(_echoes.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private static async Task EchoAsync(Socket socket)
    {
        var buffer = new byte[MessageBytes];
        while (await ReceiveExactlyAsync(socket, buffer))
        {
            await socket.SendAsync(buffer);
        }
    }

    private static async Task<bool> ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read));
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
