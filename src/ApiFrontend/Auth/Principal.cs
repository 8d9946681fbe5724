using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Who is calling, resolved once per request: tenant and app context (from the credential, never from the
/// body), the actions it may take, its data scope and what kind of credential it was. A token or scoped key also
/// names the user it acts for (<see cref="UserId"/>) and the ownership stamped on its writes (<see cref="Identity"/>,
/// keys <c>userId</c> and <c>scope:&lt;ns&gt;</c>). A scoped credential may also carry its profile principal
/// (<c>usr_…</c>/<c>key_…</c>) and its full scope clauses (with capabilities): the delegation cap and the override
/// rules of profile writes read them (<see cref="AccessActors"/>). Absent clauses mean the one clause of
/// <see cref="AllowedActions"/> + <see cref="DataScope"/>.
/// </summary>
public sealed record Principal(
    string TenantId,
    TenantEnvironment Environment,
    string ContextId,
    CredentialKind Kind,
    string CredentialId,
    string? Label,
    IReadOnlyList<string> AllowedActions,
    IReadOnlyDictionary<string, IReadOnlyList<string?>> DataScope,
    DateTimeOffset? ExpiresAt = null,
    string? UserId = null,
    IReadOnlyDictionary<string, string>? Identity = null,
    string? MintedBy = null,
    string? PrincipalId = null,
    IReadOnlyList<ScopeClause>? Clauses = null)
{
    /// <summary>
    /// Whose request budget a call spends: a token spends the one of the root key that minted it, so minting many
    /// tokens does not multiply a key's rate limit.
    /// </summary>
    public string RateLimitKey => MintedBy ?? CredentialId;

    public bool IsRoot => Kind == CredentialKind.RootKey;

    /// <summary>
    /// JSON-encoded delegation chain of a delegate-minted credential, for the admin log (API-DELTA §12); null
    /// otherwise. Set by the authenticator of the credential kinds that can carry one.
    /// </summary>
    public string? DelegationChain { get; init; }

    /// <summary>
    /// The clause capabilities the credential holds (API-DELTA §8.4 <c>granted_capabilities</c>, e.g.
    /// <c>forensic-read</c>); empty for root keys, which never need them. Filled in by the access profile resolver.
    /// </summary>
    public IReadOnlySet<string> Capabilities { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>An empty data scope means everything in the tenant.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string?>> Unrestricted =
        new Dictionary<string, IReadOnlyList<string?>>();
}
