using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Tokens;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Verifies an <c>st_</c> token with a standard JWT library against the published signing keys (fetched from the
/// silos, trusted for <see cref="KeySetLifetime"/>; a token naming an unknown <c>kid</c> refreshes them at most once
/// a second, so a key another silo just activated is found). Signature, <c>kid</c>, algorithm, type, issuer,
/// audience and expiry (30 s skew) must all hold, and the tenant the signed token names must still exist.
/// </summary>
public sealed class ScopedTokenVerifier(IGrainFactory grains, IMemoryCache cache, IOptions<ApiOptions> options, TimeProvider time)
{
    private static readonly TimeSpan KeySetLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRefreshGap = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile KeySet? _keys;

    public async Task<Principal?> VerifyAsync(string credential)
    {
        if (!credential.StartsWith(ScopedTokenClaims.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var jws = credential[ScopedTokenClaims.Prefix.Length..];
        JsonWebToken parsed;
        try
        {
            parsed = _handler.ReadJsonWebToken(jws);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return null;
        }

        if (string.IsNullOrEmpty(parsed.Kid))
        {
            return null;
        }

        var keys = await KeysAsync(parsed.Kid);
        if (keys is null || !keys.ByKid.ContainsKey(parsed.Kid))
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(jws, new TokenValidationParameters
        {
            ValidIssuer = keys.Published.Issuer,
            ValidAudience = keys.Published.Audience,
            IssuerSigningKeys = keys.ByKid.Values,
            ValidAlgorithms = [ScopedTokenClaims.Algorithm],
            ValidTypes = [ScopedTokenClaims.Type],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            TryAllIssuerSigningKeys = false,
        });
        if (!result.IsValid)
        {
            return null;
        }

        var principal = ToPrincipal(parsed);
        return principal is not null && await TenantMatchesAsync(principal) && !await MinterRevokedAsync(principal) ? principal : null;
    }

    /// <summary>
    /// A token dies with the root key that minted it (issue #9 item 7, "revoked"), within the same cache bound as the
    /// key itself (<see cref="ApiOptions.CredentialCacheTime"/>). A minter that is no root key is not judged here.
    /// </summary>
    private async Task<bool> MinterRevokedAsync(Principal principal)
    {
        if (principal.MintedBy is not { } minter)
        {
            return false;
        }

        var cacheKey = "minter-revoked:" + minter;
        if (!cache.TryGetValue(cacheKey, out bool? revoked))
        {
            revoked = await grains.GetGrain<ICredentialDirectoryGrain>(ICredentialDirectoryGrain.Key).IsRootKeyRevokedAsync(minter);
            if (options.Value.CredentialCacheTime > TimeSpan.Zero)
            {
                cache.Set(cacheKey, revoked, options.Value.CredentialCacheTime);
            }
        }

        return revoked == true;
    }

    private static Principal? ToPrincipal(JsonWebToken token)
    {
        try
        {
            using var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(token.EncodedPayload));
            var root = payload.RootElement;
            var environment = root.GetProperty(ScopedTokenClaims.Environment).GetString() switch
            {
                "live" => TenantEnvironment.Live,
                "test" => TenantEnvironment.Test,
                _ => (TenantEnvironment?)null,
            };
            if (environment is null)
            {
                return null;
            }

            var actions = root.GetProperty(ScopedTokenClaims.AllowedActions).EnumerateArray().Select(a => a.GetString()!).ToList();
            var dataScope = root.GetProperty(ScopedTokenClaims.DataScope).EnumerateObject().ToDictionary(
                p => p.Name, p => (IReadOnlyList<string?>)p.Value.EnumerateArray().Select(v => v.GetString()).ToList(), StringComparer.Ordinal);
            var identity = root.GetProperty(ScopedTokenClaims.Identity).EnumerateObject().ToDictionary(
                p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            var userId = root.TryGetProperty(ScopedTokenClaims.UserId, out var u) ? u.GetString() : null;
            var capabilities = root.TryGetProperty(ScopedTokenClaims.GrantedCapabilities, out var c)
                ? c.EnumerateArray().Select(v => v.GetString()!).ToList()
                : [];

            // A token is one clause (its allowedActions and dataScope, and any capabilities it was minted with), unless it
            // carries a profile whole: then every clause of it.
            IReadOnlyList<ScopeClause> clauses = root.TryGetProperty(ScopedTokenClaims.Clauses, out var all)
                ? ScopeClauseJson.Parse(all.GetRawText())
                : [new ScopeClause(actions, dataScope.Select(d => new DataScopeRule(d.Key, d.Value)).ToList(), capabilities)];
            return ScopedPrincipals.Build(
                new ScopedPrincipals.Binding(
                    root.GetProperty(ScopedTokenClaims.TenantId).GetString()!,
                    environment.Value,
                    root.GetProperty(ScopedTokenClaims.ContextId).GetString()!,
                    CredentialKind.Token,
                    root.GetProperty("jti").GetString()!,
                    Label: null,
                    userId,
                    DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64()),
                    root.GetProperty(ScopedTokenClaims.MintedBy).GetString()),
                clauses,
                identity);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or ValidationException)
        {
            // Signed by us, so this is a token from an incompatible release or a bug; either way not a credential.
            return null;
        }
    }

    private async Task<bool> TenantMatchesAsync(Principal principal)
    {
        var cacheKey = "tenant-env:" + principal.TenantId;
        if (!cache.TryGetValue(cacheKey, out TenantEnvironment? environment))
        {
            environment = await grains.GetGrain<ICredentialDirectoryGrain>(ICredentialDirectoryGrain.Key).FindTenantAsync(principal.TenantId);
            if (options.Value.CredentialCacheTime > TimeSpan.Zero)
            {
                cache.Set(cacheKey, environment, options.Value.CredentialCacheTime);
            }
        }

        return environment == principal.Environment;
    }

    private async Task<KeySet?> KeysAsync(string kid)
    {
        var keys = _keys;
        var now = time.GetUtcNow();
        var stale = keys is null || now >= keys.FetchedAt + KeySetLifetime;
        var unknownKid = keys is not null && !keys.ByKid.ContainsKey(kid);
        if (!stale && !unknownKid)
        {
            return keys;
        }

        if (!stale && keys!.FetchedAt + MinRefreshGap - now is { } wait && wait > TimeSpan.Zero)
        {
            // A kid activated since the last fetch (a rotation moments ago) is found after this short wait; unknown
            // kids from forged tokens thus cost at most one key fetch a second, never one per request.
            await Task.Delay(wait, time);
        }

        await _refresh.WaitAsync();
        try
        {
            if (!ReferenceEquals(keys, _keys))
            {
                return _keys;
            }

            var published = await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).GetPublishedKeysAsync();
            var fresh = new KeySet(time.GetUtcNow(), published, published.Keys.ToDictionary(k => k.Kid, ToJsonWebKey, StringComparer.Ordinal));
            _keys = fresh;
            return fresh;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>The same JWK the JWKS endpoint publishes: what an offline verifier would use.</summary>
    public static JsonWebKey ToJsonWebKey(PublishedSigningKey key) => new()
    {
        Kty = "EC",
        Crv = "P-256",
        X = key.X,
        Y = key.Y,
        Kid = key.Kid,
        Alg = ScopedTokenClaims.Algorithm,
        Use = "sig",
    };

    private sealed record KeySet(DateTimeOffset FetchedAt, PublishedSigningKeys Published, IReadOnlyDictionary<string, JsonWebKey> ByKid);
}
