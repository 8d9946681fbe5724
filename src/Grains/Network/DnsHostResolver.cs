using System.Net;
using System.Net.Sockets;
using DnsClient;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Network;

/// <summary>
/// <see cref="IHostResolver"/> on DnsClient.NET: the configured name servers, else the system's (A/AAAA then go
/// through the operating system, so /etc/hosts applies as for any other outbound call). Caching is off on purpose:
/// the anti-SSRF check must see the answer of now, not the one a registration was made with.
/// </summary>
public sealed class DnsHostResolver : IHostResolver
{
    private readonly LookupClient _client;
    private readonly bool _useSystemForAddresses;

    public DnsHostResolver(IOptions<DnsOptions> options)
    {
        var o = options.Value;
        var servers = o.Servers.Select(ParseServer).ToArray();
        var lookup = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        lookup.UseCache = false;
        lookup.Timeout = o.Timeout;
        lookup.Retries = 1;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnDnsError = false;
        _client = new LookupClient(lookup);
        _useSystemForAddresses = servers.Length == 0;
    }

    public async Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (_useSystemForAddresses)
        {
            try
            {
                return await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new HostResolutionException($"Could not resolve {host}: {e.SocketErrorCode}.", e);
            }
        }

        var v4 = QueryAsync(host, QueryType.A, cancellationToken);
        var v6 = QueryAsync(host, QueryType.AAAA, cancellationToken);
        var answers = (await v4).Answers.ARecords().Select(r => r.Address)
            .Concat((await v6).Answers.AaaaRecords().Select(r => r.Address))
            .ToList();
        return answers.Count > 0 ? answers : throw new HostResolutionException($"{host} has no A or AAAA record.");
    }

    public async Task<IReadOnlyList<string>> ResolveTextAsync(string name, CancellationToken cancellationToken)
    {
        var response = await QueryAsync(name, QueryType.TXT, cancellationToken);
        // A TXT record may be split into several strings of at most 255 bytes: they are one value.
        return response.Answers.TxtRecords().Select(r => string.Concat(r.Text)).ToList();
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken);
        }
        catch (DnsResponseException e)
        {
            throw new HostResolutionException($"The {type} lookup of {name} failed: {e.Code}.", e);
        }

        // NXDOMAIN for a TXT name is "nothing published", not a failure; for an address it is (no answers → caller).
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            throw new HostResolutionException($"The {type} lookup of {name} failed: {response.ErrorMessage}.");
        }

        return response;
    }

    private static NameServer ParseServer(string value) =>
        IPEndPoint.TryParse(value, out var endpoint)
            ? new NameServer(endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint)
            : throw new OptionsValidationException(DnsOptions.Section, typeof(DnsOptions), [$"Vectros:Dns:Servers: '{value}' is not an ip or ip:port."]);
}
