using System.Security.Cryptography;
using System.Text;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Issuers;
using Vectros.Grains.Abstractions.Tokens;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.Grains.Issuers;

/// <summary>
/// The user side of an external sign-in: self-signup (a user, then an access profile with the policy's role) through the
/// user and profile grains, and the token scope the profile grants. Each step is idempotent (the user's externalId is
/// derived from the issuer and subject, a profile is one per principal), so a sign-in cut short is completed by the next.
/// </summary>
internal sealed class IssuerSignUp(IGrainFactory grains, IssuerView issuer)
{
    /// <summary>Refusals carry the OAuth error code (RFC 6749 §5.2) the exchange answers with.</summary>
    public const string AccessDenied = "access_denied";
    public const string InvalidRequest = "invalid_request";

    private readonly CallerContext _caller = new(
        issuer.TenantId, issuer.ContextId, IssuerRules.MintedBy(issuer.IssuerId), IsRoot: true, ["*"]);

    /// <summary>Whether the bound user still exists (a deleted user's subject signs up afresh).</summary>
    public async Task<bool> UserIsLiveAsync(Guid userId)
    {
        try
        {
            await User(userId).GetAsync(_caller);
            return true;
        }
        catch (NotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Accepts an invitation through an external sign-in: the token must be one this server signed for this tenant and the
    /// issuer's app context; the ID token's email, when it carries one, must be the invited address. The PENDING user is
    /// activated with the subject through the user grain (which consumes the invitation and creates its access profile),
    /// so an invitation works once. A retry by the subject already bound to the invited user just signs in again.
    /// </summary>
    public async Task<Guid> AcceptInviteAsync(Users.InviteTokens tokens, string inviteToken, ExternalSignIn signIn, Guid? bound)
    {
        var grant = tokens.Verify(inviteToken);
        if (grant is null || grant.TenantId != issuer.TenantId || grant.ContextId != issuer.ContextId)
        {
            throw new ValidationException("invite_token", "invite_token is not a valid invitation into this app context.");
        }

        if (bound == grant.UserId && await UserIsLiveAsync(grant.UserId))
        {
            return grant.UserId;
        }

        UserView invited;
        try
        {
            invited = await User(grant.UserId).GetAsync(_caller);
        }
        catch (NotFoundException)
        {
            throw new ValidationException("invite_token", "invite_token is not a valid invitation into this app context.");
        }

        if (signIn.Email is { } email && invited.Email is { } address && !string.Equals(email, address, StringComparison.OrdinalIgnoreCase))
        {
            throw new ForbiddenException("The invitation was sent to another email address.", AccessDenied);
        }

        if (invited.Status != UserRules.Pending)
        {
            throw new ValidationException("invite_token", "The invitation has already been accepted.");
        }

        await User(grant.UserId).UpdateAsync(_caller, new UserWrite
        {
            Status = UserRules.Active,
            InviteToken = inviteToken,
            ExternalSubject = signIn.Subject,
            EmailVerifiedAttestation = signIn.Email is not null,
        });
        return grant.UserId;
    }

    /// <summary>Creates the user for a subject with no account, under the policy that applies; 403 when none does.</summary>
    public async Task<Guid> CreateUserAsync(ExternalSignIn signIn)
    {
        var policy = Policy(signIn.SignupType)
            ?? throw new ForbiddenException("No account is linked to this sign-in and self-signup is not enabled.", AccessDenied);
        UserCreateResult created;
        try
        {
            created = await User(Guid.CreateVersion7()).CreateAsync(_caller, new UserWrite
            {
                ExternalId = ExternalId(signIn.Subject),
                Email = signIn.Email,
                Type = "HUMAN",
                Status = UserRules.Active,
            }, upsert: false);
        }
        catch (ConflictException)
        {
            // Most likely the email belongs to another user: linking by email would hand that account to whoever the issuer vouches for.
            throw new ForbiddenException("An account with this email already exists; ask an administrator to link it.", AccessDenied);
        }

        await EnsureProfileAsync(created.User.Id, policy);
        return created.User.Id;
    }

    /// <summary>
    /// The token scope: the first clause of the user's profile in the issuer's context (a token carries one clause, and
    /// one of the profile's clauses is never wider than the profile). A missing profile is created when a policy applies.
    /// </summary>
    public async Task<TokenScope> ScopeAsync(Guid userId, string? signupType)
    {
        var profile = await Profile(userId).GetEffectiveAsync();
        if (profile is null && Policy(signupType, quiet: true) is { } policy)
        {
            await EnsureProfileAsync(userId, policy);
            profile = await Profile(userId).GetEffectiveAsync();
        }

        if (profile is null)
        {
            throw new ForbiddenException("The user has no access in this app context.", AccessDenied);
        }

        if (!profile.IsActive)
        {
            throw new ForbiddenException("The user's access in this app context is suspended.", AccessDenied);
        }

        var user = await User(userId).GetAsync(_caller);
        if (user.Status != UserRules.Active)
        {
            throw new ForbiddenException("The user is not active.", AccessDenied);
        }

        // The token carries the profile whole (every clause, with capabilities); the first clause also fills the one-clause
        // claims that ping and 0.31 readers see.
        var clause = profile.Clauses.FirstOrDefault()
            ?? throw new ForbiddenException("The user's access profile grants nothing.", AccessDenied);
        return new TokenScope(
            clause.AllowedActions,
            clause.DataScope.ToDictionary(r => r.Key, r => r.Values, StringComparer.Ordinal),
            profile.IdentityOverrides,
            profile.Clauses);
    }

    private async Task EnsureProfileAsync(Guid userId, SignupPolicy policy) =>
        await Profile(userId).CreateAsync(
            new AccessActor(_caller, null, [], new Dictionary<string, string>()),
            new ProfileWrite(null, policy.RoleId, null, AccessProfileView.Active),
            upsert: false);

    /// <summary>
    /// The policy a sign-up falls under: the one named by <c>signup_type</c>, or the only one. A name that matches none,
    /// or several policies and no name, is a 400 (unless <paramref name="quiet"/>, which answers null instead).
    /// </summary>
    private SignupPolicy? Policy(string? signupType, bool quiet = false)
    {
        var policies = issuer.SelfSignupPolicies;
        if (signupType is not null)
        {
            return policies.FirstOrDefault(p => p.SignupType == signupType)
                ?? (quiet ? null : throw new ValidationException("signup_type", "signup_type names no self-signup policy of this issuer.", InvalidRequest));
        }

        return policies.Count switch
        {
            0 => null,
            1 => policies[0],
            _ => quiet ? null : throw new ValidationException("signup_type", "This issuer has several self-signup policies; signup_type is required.", InvalidRequest),
        };
    }

    /// <summary>Stable per (issuer, subject), so a retried sign-up finds the user it created; long subjects are hashed.</summary>
    private string ExternalId(string subject)
    {
        var id = $"{issuer.IssuerId}|{subject}";
        return id.Length <= UserRules.MaxExternalIdLength
            ? id
            : $"{issuer.IssuerId}|sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)))}";
    }

    private IUserGrain User(Guid id) => grains.GetGrain<IUserGrain>(UserRules.Key(issuer.TenantId, id));

    private IAccessProfileGrain Profile(Guid userId) =>
        grains.GetGrain<IAccessProfileGrain>(AccessKeys.Of(issuer.TenantId, issuer.ContextId, PrincipalIds.ForUser(userId.ToString())));
}
