using System.Net;

namespace Vectros.Grains.Network;

/// <summary>
/// Resolves host names for outbound calls and domain checks. Pluggable (<see cref="DnsOptions"/>) so tests can answer
/// from an in-process DNS server and flip answers between calls. No caching: every call asks again.
/// </summary>
public interface IHostResolver
{
    /// <summary>Every A and AAAA answer for the host; throws <see cref="HostResolutionException"/> when resolution fails.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAddressesAsync(string host, CancellationToken cancellationToken);

    /// <summary>The TXT strings published at <paramref name="name"/> (empty when none); throws when the lookup fails.</summary>
    Task<IReadOnlyList<string>> ResolveTextAsync(string name, CancellationToken cancellationToken);
}

/// <summary>A name could not be resolved (no such name, server failure, time-out). The message names no secret.</summary>
public sealed class HostResolutionException(string message, Exception? inner = null) : Exception(message, inner);
