using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Keys;
using Vectros.Grains.Abstractions.Tokens;
using Orleans;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Bearer credential → principal. Only the SHA-256 of the credential is looked up or cached, and only for a
/// couple of seconds, which is what bounds how long a revoked key keeps working. A scoped key (<c>ssk_</c>) also
/// re-reads its access profile at every cache miss, so a profile, role or revocation change lands within
/// <see cref="MaxScopedKeyCacheTime"/> on every front end; <c>st_</c> tokens go to <see cref="ScopedTokenVerifier"/>. Unknown hashes are remembered
/// too, briefly and in a bounded cache of their own (<see cref="AuthOptions.NegativeCacheTime"/>), so repeating a wrong
/// credential costs no database lookup.
/// </summary>
public sealed class CredentialAuthenticator(
    IGrainFactory grains, IMemoryCache cache, IOptions<ApiOptions> options, IOptions<AuthOptions> authOptions, ScopedTokenVerifier tokens)
    : IDisposable
{
    private const int MaxCredentialLength = 4096;

    /// <summary>
    /// The longest a scoped key's principal is reused, whatever <see cref="ApiOptions.CredentialCacheTime"/> says: its
    /// authority is the live profile (issue #9 item 4: a change applies within 5 seconds on every silo).
    /// </summary>
    public static readonly TimeSpan MaxScopedKeyCacheTime = TimeSpan.FromSeconds(2);

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

        var scopedEnvironment = ScopedKeyRules.EnvironmentOf(credential);
        if (scopedEnvironment is null && !credential.StartsWith("sk_live_", StringComparison.Ordinal) && !credential.StartsWith("sk_test_", StringComparison.Ordinal))
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

        if (scopedEnvironment is { } environment)
        {
            return await ScopedKeyAsync(hash, environment, cacheKey);
        }

        var found = await grains.GetGrain<ICredentialDirectoryGrain>(ICredentialDirectoryGrain.Key).FindRootKeyAsync(hash);
        if (found is null)
        {
            RememberUnknown(cacheKey);
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

    /// <summary>
    /// An active key whose prefix names its tenant's environment, acting under its profile as it is now. A suspended or
    /// deleted profile is remembered as "no principal" for the same short time, so it costs no lookup per request either.
    /// </summary>
    private async Task<Principal?> ScopedKeyAsync(byte[] hash, TenantEnvironment environment, string cacheKey)
    {
        var binding = await grains.GetGrain<ICredentialDirectoryGrain>(ICredentialDirectoryGrain.Key).FindScopedKeyAsync(hash);
        if (binding is null || binding.Environment != environment)
        {
            RememberUnknown(cacheKey);
            return null;
        }

        var profile = await grains.GetGrain<IAccessProfileGrain>(
            AccessKeys.Of(binding.TenantId, binding.ContextId, PrincipalIds.ForUser(binding.UserId))).GetEffectiveAsync();
        var principal = profile is { IsActive: true }
            ? ScopedPrincipals.ForKey(
                new ScopedPrincipals.Binding(binding.TenantId, binding.Environment, binding.ContextId, CredentialKind.ScopedKey, binding.KeyId,
                    binding.Label, binding.UserId, DelegationChain: binding.DelegationChain),
                profile)
            : null;
        var ttl = options.Value.CredentialCacheTime < MaxScopedKeyCacheTime ? options.Value.CredentialCacheTime : MaxScopedKeyCacheTime;
        if (ttl > TimeSpan.Zero)
        {
            cache.Set(cacheKey, principal, ttl);
        }

        return principal;
    }

    /// <summary>
    /// Hash only, like the positive cache. A key created with this very secret meanwhile (the caller raced its own
    /// sign-up, or a test) is refused for at most NegativeCacheTime; a revoked key never comes back, so it may stay.
    /// </summary>
    private void RememberUnknown(string cacheKey)
    {
        if (authOptions.Value.NegativeCacheTime > TimeSpan.Zero)
        {
            _unknown.Set(cacheKey, true, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = authOptions.Value.NegativeCacheTime });
        }
    }

    public void Dispose() => _unknown.Dispose();
}
