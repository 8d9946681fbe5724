using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Tokens;
using Orleans;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Bearer credential → principal. Only the SHA-256 of the credential is looked up or cached, and only for a
/// couple of seconds, which is what bounds how long a revoked key keeps working. Later credential kinds
/// (<c>ssk_</c>) plug in here; <c>st_</c> tokens go to <see cref="ScopedTokenVerifier"/>. Unknown hashes are remembered
/// too, briefly and in a bounded cache of their own (<see cref="AuthOptions.NegativeCacheTime"/>), so repeating a wrong
/// credential costs no database lookup.
/// </summary>
public sealed class CredentialAuthenticator(
    IGrainFactory grains, IMemoryCache cache, IOptions<ApiOptions> options, IOptions<AuthOptions> authOptions, ScopedTokenVerifier tokens)
    : IDisposable
{
    private const int MaxCredentialLength = 4096;

    private readonly MemoryCache _unknown = new(new MemoryCacheOptions { SizeLimit = authOptions.Value.NegativeCacheSize });

    public async Task<Principal?> AuthenticateAsync(string authorizationHeader)
    {
        const string bearer = "Bearer ";
        if (!authorizationHeader.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var credential = authorizationHeader[bearer.Length..].Trim();
        if (credential.Length is 0 or > MaxCredentialLength)
        {
            return null;
        }

        // st_ tokens are self-contained: verified by signature and expiry, never looked up (issue #9 item 5).
        if (credential.StartsWith(ScopedTokenClaims.Prefix, StringComparison.Ordinal))
        {
            return await tokens.VerifyAsync(credential);
        }

        if (!credential.StartsWith("sk_live_", StringComparison.Ordinal) && !credential.StartsWith("sk_test_", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = CredentialHash.Sha256(credential);
        var cacheKey = "cred:" + Convert.ToHexString(hash);
        if (cache.TryGetValue(cacheKey, out Principal? cached))
        {
            return cached;
        }

        if (_unknown.TryGetValue(cacheKey, out _))
        {
            return null;
        }

        var found = await grains.GetGrain<ICredentialDirectoryGrain>(ICredentialDirectoryGrain.Key).FindRootKeyAsync(hash);
        if (found is null)
        {
            // Hash only, like the positive cache. A key created with this very secret meanwhile (the caller raced its own
            // sign-up, or a test) is refused for at most NegativeCacheTime.
            if (authOptions.Value.NegativeCacheTime > TimeSpan.Zero)
            {
                _unknown.Set(cacheKey, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = authOptions.Value.NegativeCacheTime });
            }

            return null;
        }

        // A root key acts in its tenant's default context (DESIGN §5a) and holds every action.
        var principal = new Principal(
            found.TenantId, found.Environment, AppContextKeys.Default, found.Kind, found.CredentialId, found.Label,
            AllowedActions: ["*"], DataScope: Principal.Unrestricted);
        if (options.Value.CredentialCacheTime > TimeSpan.Zero)
        {
            cache.Set(cacheKey, principal, options.Value.CredentialCacheTime);
        }

        return principal;
    }

    public void Dispose() => _unknown.Dispose();
}
