using System.Net;
using System.Net.Sockets;

namespace Vectros.TestSupport;

/// <summary>
/// A loopback TCP forwarder in front of the test PostgreSQL, so a test can make "the database" unreachable for one
/// server (stop: refuse new connections and cut open ones) and bring it back, without touching the shared cluster.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public TcpProxy(IPEndPoint target, int port = 0)
    {
        _target = target;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>Listens (again) on the same port.</summary>
    public void Start()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Stops listening (new connections are refused) and resets every open connection.</summary>
    public void Stop()
    {
        _stop?.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var client in _open)
            {
                try
                {
                    // Linger 0: the peer sees a reset, as when a database host goes away, not a polite close.
                    if (client.Client is { } socket)
                    {
                        socket.LingerState = new LingerOption(true, 0);
                    }

                    client.Close();
                }
                catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                {
                }
            }

            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(ct);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = PipeAsync(inbound, ct);
        }
    }

    private async Task PipeAsync(TcpClient inbound, CancellationToken ct)
    {
        var outbound = new TcpClient();
        lock (_open)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(_target, ct);
            await using var a = inbound.GetStream();
            await using var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, ct), b.CopyToAsync(a, ct));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
