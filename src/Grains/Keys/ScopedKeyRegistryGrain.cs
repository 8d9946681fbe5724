using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Keys;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.Grains.Keys;

/// <summary>
/// Mints and lists the scoped keys of one tenant (keyed by tenant id, so one environment). A key holds no authority of
/// its own: it names (context, user) and the user's access profile there decides what it may do, read at every
/// authentication cache miss. The raw key exists only in the create response; the table keeps its SHA-256.
/// </summary>
public sealed class ScopedKeyRegistryGrain(NpgsqlDataSource dataSource, IOptions<ScopedKeyOptions> options, TimeProvider time)
    : Grain, IScopedKeyRegistryGrain
{
    private const string DelegateMint = "delegate-mint";

    private readonly ScopedKeyStore _store = new(dataSource);

    private string TenantId => this.GetPrimaryKeyString();

    async Task<ScopedKeyCreated> IScopedKeyRegistryGrain.CreateAsync(AccessActor actor, ScopedKeyCreate create)
    {
        ScopedKeyRules.Validate(create);
        CheckTenant(actor.Caller);

        // A scoped credential acts in its own context only (DESIGN §5a): naming another is refused before any lookup.
        if (!actor.IsRoot && !string.Equals(create.ContextId, actor.Caller.ContextId, StringComparison.Ordinal))
        {
            throw new ForbiddenException("A scoped credential can mint keys only in its own app context.");
        }

        var context = await GrainFactory.GetGrain<IAppContextGrain>(AppContextKeys.Composite(TenantId, create.ContextId)).GetAsync();
        if (context is not { Status: AppContextStatus.Active })
        {
            throw new NotFoundException("App context not found.");
        }

        var (userId, userType) = await UserAsync(create.UserId);
        var principalId = PrincipalIds.ForUser(userId);
        var profile = await GrainFactory.GetGrain<IAccessProfileGrain>(AccessKeys.Of(TenantId, create.ContextId, principalId)).GetEffectiveAsync()
            ?? throw ScopedKeyErrors.NoProfile();

        var delegated = !string.Equals(principalId, actor.PrincipalId, StringComparison.Ordinal);
        CheckScopedCaller(actor, profile, principalId, delegated);

        if (await _store.FindActiveAsync(TenantId, create.ContextId, userId, create.KeyName) is { } existing)
        {
            return new ScopedKeyCreated(existing, RawKey: null, Created: false);
        }

        var environment = await GrainFactory.GetGrain<ICredentialDirectoryGrain>(ICredentialDirectoryGrain.Key).FindTenantAsync(TenantId)
            ?? throw new NotFoundException("No such tenant in your account.");
        var raw = ScopedKeyRules.Prefix(environment) + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ScopedKeyView(Guid.CreateVersion7(time.GetUtcNow()).ToString(), create.KeyName, create.Label, TenantId,
            create.ContextId, userId, userType, Truncate(time.GetUtcNow()), RevokedAt: null, LastUsedAt: null);
        var chain = delegated && !actor.IsRoot ? JsonSerializer.Serialize(new[] { actor.Caller.CredentialId, key.KeyId }) : null;
        if (await _store.InsertAsync(key, CredentialHash.Sha256(raw), actor.Caller.CredentialId, chain, options.Value.MaxActivePerEnvironment))
        {
            return new ScopedKeyCreated(key, raw, Created: true);
        }

        // Another front end minted the same (context, user, keyName) a moment ago: that key is the answer.
        return new ScopedKeyCreated(
            await _store.FindActiveAsync(TenantId, create.ContextId, userId, create.KeyName) ?? throw new ConflictException("VERSION_CONFLICT", "The key changed concurrently; retry."),
            RawKey: null, Created: false);
    }

    async Task<ScopedKeyPage> IScopedKeyRegistryGrain.ListAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckTenant(caller);
        var rows = await _store.ListActiveAsync(TenantId, caller.IsRoot ? null : caller.ContextId, startFrom, limit + 1);
        var page = rows.Take(limit).ToList();
        return new ScopedKeyPage(page, rows.Count > limit ? page[^1].KeyId : null);
    }

    /// <summary>
    /// The three checks of a scoped caller (API-DELTA §8.6; root keys are exempt): the profile grants no more than the
    /// caller holds, the caller holds every override value the key would act with, and binding a user other than the
    /// caller's own needs <c>delegate-mint</c>.
    /// </summary>
    private static void CheckScopedCaller(AccessActor actor, EffectiveAccess profile, string principalId, bool delegated)
    {
        if (actor.IsRoot)
        {
            return;
        }

        ProfileAuthority.CheckCap(actor, profile.Clauses, principalId, "accessProfile.scopes");
        ProfileAuthority.CheckOverrides(actor, null, profile.IdentityOverrides);
        if (delegated && !ScopeGrammar.HasCapability(actor.Clauses, DelegateMint))
        {
            throw new ForbiddenException("Binding a key to another user requires the 'delegate-mint' capability.");
        }
    }

    /// <summary>The user's canonical id and type; an unknown user is the same 404 as a missing profile.</summary>
    private async Task<(string UserId, string UserType)> UserAsync(string userId)
    {
        if (ScopedKeyRules.CanonicalUserId(userId) is not { } canonical)
        {
            throw ScopedKeyErrors.NoProfile();
        }

        try
        {
            var system = new CallerContext(TenantId, AppContextKeys.Default, "system", IsRoot: true, ["*"]);
            var user = await GrainFactory.GetGrain<IUserGrain>(UserRules.Key(TenantId, Guid.Parse(canonical))).GetAsync(system);
            return (canonical, user.Type);
        }
        catch (NotFoundException)
        {
            throw ScopedKeyErrors.NoProfile();
        }
    }

    private void CheckTenant(CallerContext caller)
    {
        if (!string.Equals(caller.TenantId, TenantId, StringComparison.Ordinal))
        {
            throw new ForbiddenException("The caller does not belong to this tenant.");
        }
    }

    /// <summary>Microseconds, as PostgreSQL stores them, so the create response equals every later read.</summary>
    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.Ticks - (value.Ticks % 10), value.Offset);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
