using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// The gRPC listener once Kestrel has bound it: its real port (port 0 in tests becomes a free port) and whether a
/// request arrived through it. The two front doors stay apart: gRPC services answer on this port only, the HTTP API
/// everywhere else.
/// </summary>
public sealed class GrpcListener(IOptions<GrpcOptions> options)
{
    private ListenOptions? _options;

    /// <summary>Whether a gRPC listener is configured (known before Kestrel binds it).</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The bound port (after start-up), or 0 when gRPC is off.</summary>
    public int Port => _options?.IPEndPoint?.Port ?? 0;

    /// <summary>Whether the listener uses TLS.</summary>
    public bool Tls { get; private set; }

    /// <summary>The address clients use, e.g. <c>http://127.0.0.1:8081</c>.</summary>
    public Uri? Address => _options?.IPEndPoint is { } ep
        ? new Uri($"{(Tls ? "https" : "http")}://{(ep.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : ep.Address.ToString())}:{ep.Port}")
        : null;

    internal void Bind(ListenOptions options, bool tls)
    {
        _options = options;
        Tls = tls;
    }

    /// <summary>Whether the request came in on the gRPC port.</summary>
    public bool Received(HttpContext context) => Enabled && context.Connection.LocalPort == Port;
}
