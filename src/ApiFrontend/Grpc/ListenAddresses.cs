using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// Kestrel ignores the configured URLs once any endpoint is declared in code, so with the gRPC listener declared the
/// HTTP URLs (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>) are declared here too, read the
/// way the host reads them.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>The HTTP URLs the host would have bound, then removes them so Kestrel does not warn about overriding.</summary>
    public static IReadOnlyList<string> HttpUrls(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls) && configuration["http_ports"] is { Length: > 0 } ports)
        {
            urls = string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        return (string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>One URL as Kestrel's own address binder would listen on it.</summary>
    public static void Listen(KestrelServerOptions kestrel, string url)
    {
        var address = BindingAddress.Parse(url);
        var https = string.Equals(address.Scheme, "https", StringComparison.OrdinalIgnoreCase);
        Action<ListenOptions> configure = https ? o => o.UseHttps() : _ => { };
        if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            // *, +, or a host name: every interface, as Kestrel does.
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }

    /// <summary>The gRPC endpoint setting as an address and port.</summary>
    public static (IPAddress? Address, int Port) Parse(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        var host = endpoint[..colon].Trim('[', ']');
        var port = int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture);
        return host switch
        {
            "*" => (null, port),
            "localhost" => (IPAddress.Loopback, port),
            _ => (IPAddress.Parse(host), port),
        };
    }
}
