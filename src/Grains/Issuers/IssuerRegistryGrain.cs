using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Issuers;
using Vectros.Grains.Abstractions.Tokens;

using Vectros.Grains.Users;

namespace Vectros.Grains.Issuers;

/// <summary>
/// The external issuers of one tenant (API-DELTA §8.7), keyed by tenant id. Registration is root-only and idempotent by
/// issuerId; sign-ins run here too, one at a time per tenant, so a subject's first sign-in creates one user.
/// </summary>
public sealed class IssuerRegistryGrain(NpgsqlDataSource dataSource, TimeProvider time, InviteTokens invites) : Grain, IIssuerRegistryGrain
{
    private readonly IssuerStore _store = new(dataSource);

    private string TenantId => this.GetPrimaryKeyString();

    async Task<IssuerCreateResult> IIssuerRegistryGrain.CreateAsync(CallerContext caller, TenantEnvironment environment, IssuerWrite write)
    {
        CheckRoot(caller);
        if (await ExistingAsync(write) is { } existing)
        {
            return existing;
        }

        await CheckPoliciesAsync(write);
        switch (await _store.ClashAsync(TenantId, write))
        {
            case "pair":
                throw new ValidationException("issuer", "This issuer and audience are already registered.");
            case "context":
                throw new ValidationException("contextId", "This app context already has an active issuer.");
        }

        var view = new IssuerView(TenantId, write.IssuerId, write.ContextId, environment, write.Issuer, write.JwksUri, write.Audience,
            write.SubClaim, write.EmailClaim, write.SelfSignupPolicies, IssuerRules.Active, Now());
        var batch = new IssuerWriteBatch(TenantId);
        batch.Insert(view, caller.CredentialId);
        try
        {
            await batch.ExecuteAsync(dataSource);
        }
        catch (IssuerClashException)
        {
            // A concurrent registration won a unique index: a repeat of this one answers as a hit, anything else is refused.
            return await ExistingAsync(write) ?? throw new ValidationException("issuerId", "The registration clashes with an existing issuer.");
        }

        return new IssuerCreateResult(view, Created: true);
    }

    async Task<IssuerPage> IIssuerRegistryGrain.ListAsync(CallerContext caller, string? startFrom, int limit)
    {
        CheckRoot(caller);
        var (rows, next) = await _store.ListAsync(TenantId, startFrom, limit);
        return new IssuerPage(rows, next);
    }

    async Task<IssuerView> IIssuerRegistryGrain.GetAsync(CallerContext caller, string issuerId)
    {
        CheckRoot(caller);
        return await _store.LoadAsync(TenantId, issuerId) ?? throw new NotFoundException("Issuer not found.");
    }

    async Task IIssuerRegistryGrain.DeleteAsync(CallerContext caller, string issuerId)
    {
        CheckRoot(caller);
        var issuer = await _store.LoadAsync(TenantId, issuerId) ?? throw new NotFoundException("Issuer not found.");
        var batch = new IssuerWriteBatch(TenantId);
        batch.Delete(issuer, caller.CredentialId, Now());
        await batch.ExecuteAsync(dataSource);
    }

    async Task<MintedToken> IIssuerRegistryGrain.SignInAsync(ExternalSignIn signIn)
    {
        var issuer = await _store.LoadAsync(TenantId, signIn.IssuerId);
        if (issuer is not { Status: IssuerRules.Active })
        {
            throw new NotFoundException("Issuer not found.");
        }

        var signUp = new IssuerSignUp(GrainFactory, issuer);
        var userId = await _store.FindBindingAsync(TenantId, issuer.IssuerId, signIn.Subject);
        if (signIn.InviteToken is { } invite)
        {
            // An invitation, when given, is the only path tried (API-DELTA §8.7): the invitee's PENDING user is activated
            // with this subject and bound to it; no self-signup, no other account.
            var invited = await signUp.AcceptInviteAsync(invites, invite, signIn, userId);
            if (userId != invited)
            {
                var batch = new IssuerWriteBatch(TenantId);
                batch.Bind(issuer, signIn.Subject, invited, Now());
                await batch.ExecuteAsync(dataSource);
            }

            userId = invited;
        }
        else if (userId is null || !await signUp.UserIsLiveAsync(userId.Value))
        {
            userId = await signUp.CreateUserAsync(signIn);
            var batch = new IssuerWriteBatch(TenantId);
            batch.Bind(issuer, signIn.Subject, userId.Value, Now());
            await batch.ExecuteAsync(dataSource);
        }

        var scope = await signUp.ScopeAsync(userId.Value, signIn.SignupType);
        return await GrainFactory.GetGrain<ITokenIssuerGrain>(TenantId).MintAsync(new MintTokenCommand(
            issuer.Environment, issuer.ContextId, userId.Value.ToString(), scope, ScopedTokenClaims.MaxLifetime,
            IssuerRules.MintedBy(issuer.IssuerId)));
    }

    /// <summary>The idempotent hit: the same issuerId in the same context. In another context it is a 400 that names nothing.</summary>
    private async Task<IssuerCreateResult?> ExistingAsync(IssuerWrite write)
    {
        var existing = await _store.LoadAsync(TenantId, write.IssuerId);
        if (existing is null)
        {
            return null;
        }

        return existing.ContextId == write.ContextId
            ? new IssuerCreateResult(existing, Created: false)
            : throw new ValidationException("issuerId", "This issuerId is not available; choose another.");
    }

    /// <summary>Each policy's role must exist in the context and hold none of the elevated capabilities (§8.4).</summary>
    private async Task CheckPoliciesAsync(IssuerWrite write)
    {
        for (var i = 0; i < write.SelfSignupPolicies.Count; i++)
        {
            var policy = write.SelfSignupPolicies[i];
            var field = $"selfSignupPolicies[{i}].role_id";
            var clauses = await GrainFactory.GetGrain<IAccessRoleGrain>(AccessKeys.Of(TenantId, write.ContextId, policy.RoleId)).GetClausesAsync()
                ?? throw new ValidationException(field, "role_id does not name a role in this app context.");
            if (clauses.SelectMany(c => c.GrantedCapabilities).FirstOrDefault(IssuerRules.ElevatedCapabilities.Contains) is { } elevated)
            {
                throw new ValidationException(field, $"A self-signup role may not hold the capability '{elevated}'.");
            }
        }
    }

    private static void CheckRoot(CallerContext caller)
    {
        if (!caller.IsRoot)
        {
            throw new ForbiddenException("Issuers are managed with a root API key.");
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}
