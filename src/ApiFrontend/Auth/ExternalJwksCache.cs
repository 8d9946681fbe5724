using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// The signing keys of external issuers, fetched from their <c>jwksUri</c> and kept for
/// <see cref="AuthOptions.ExternalJwksCacheTime"/>. A token naming a <c>kid</c> the cached set lacks refetches once
/// (the provider rotated), at most every <see cref="MinRefetchGap"/> per URI, so random kids cannot turn the server into
/// a request amplifier. Bounded: past <see cref="MaxSets"/> URIs the cache starts over.
/// </summary>
public sealed class ExternalJwksCache(IHttpClientFactory http, IOptions<AuthOptions> options, TimeProvider time, ILogger<ExternalJwksCache> log)
{
    public const string HttpClientName = "external-jwks";
    public const int MaxJwksBytes = 256 * 1024;
    private const int MaxSets = 1000;
    private static readonly TimeSpan MinRefetchGap = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, KeySet> _sets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _fetching = new(StringComparer.Ordinal);

    /// <summary>The issuer's keys, or null when they cannot be fetched.</summary>
    public async Task<IReadOnlyList<SecurityKey>?> KeysAsync(string jwksUri, string? kid, CancellationToken cancellationToken)
    {
        if (Cached(jwksUri, kid, out var set) is { } keys)
        {
            return keys;
        }

        // One fetch per URI at a time: a burst of exchanges after expiry (or with one new kid) costs the provider one request.
        if (_fetching.Count >= MaxSets)
        {
            _fetching.Clear();
        }

        var gate = _fetching.GetOrAdd(jwksUri, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return Cached(jwksUri, kid, out set) ?? await RefreshAsync(jwksUri, set, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The cached keys when they are fresh and know the kid (or a refetch for it happened moments ago).</summary>
    private IReadOnlyList<SecurityKey>? Cached(string jwksUri, string? kid, out KeySet? set)
    {
        var now = time.GetUtcNow();
        return _sets.TryGetValue(jwksUri, out set) && now < set.FetchedAt + options.Value.ExternalJwksCacheTime
            && (kid is null || set.Kids.Contains(kid) || now < set.FetchedAt + MinRefetchGap)
            ? set.Keys
            : null;
    }

    private async Task<IReadOnlyList<SecurityKey>?> RefreshAsync(string jwksUri, KeySet? set, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fetched = await FetchAsync(jwksUri, cancellationToken);
        if (fetched is null)
        {
            // A failed refetch for an unknown kid keeps the set still within its lifetime; an expired set is never served,
            // so a key the provider withdrew stops working within the lifetime even while the provider is unreachable.
            return set is not null && now < set.FetchedAt + options.Value.ExternalJwksCacheTime ? set.Keys : null;
        }

        if (_sets.Count >= MaxSets)
        {
            _sets.Clear();
        }

        _sets[jwksUri] = fetched;
        return fetched.Keys;
    }

    private async Task<KeySet?> FetchAsync(string jwksUri, CancellationToken cancellationToken)
    {
        try
        {
            using var client = http.CreateClient(HttpClientName);
            using var response = await client.GetAsync(jwksUri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxJwksBytes)
            {
                log.LogWarning("Fetching an issuer's JWKS answered {Status}", (int)response.StatusCode);
                return null;
            }

            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            if (json.Length > MaxJwksBytes)
            {
                return null;
            }

            var keys = new JsonWebKeySet(json).Keys.Where(k => k.Use is null or "sig").ToList();
            return new KeySet(keys, keys.Where(k => k.Kid is not null).Select(k => k.Kid).ToHashSet(StringComparer.Ordinal), time.GetUtcNow());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or InvalidOperationException)
        {
            // The URI is the registration's, not a secret, but the failure detail may echo the response: log the kind only.
            log.LogWarning("Fetching an issuer's JWKS failed: {Kind}", ex.GetType().Name);
            return null;
        }
    }

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, IReadOnlySet<string> Kids, DateTimeOffset FetchedAt);
}
