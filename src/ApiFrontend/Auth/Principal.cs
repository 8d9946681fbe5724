using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Who is calling, resolved once per request: tenant and app context (from the credential, never from the
/// body), the actions it may take, its data scope and what kind of credential it was. A scoped credential may also
/// carry its profile principal (<c>usr_…</c>/<c>key_…</c>), its full scope clauses (with capabilities) and its identity
/// values (<c>scope:&lt;ns&gt;</c> → value): the delegation cap and the override rules of profile writes read them
/// (<see cref="AccessActors"/>). Absent clauses mean the one clause of <see cref="AllowedActions"/> + <see cref="DataScope"/>.
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
    string? PrincipalId = null,
    IReadOnlyList<ScopeClause>? Clauses = null,
    IReadOnlyDictionary<string, string>? Identity = null)
{
    public bool IsRoot => Kind == CredentialKind.RootKey;

    /// <summary>An empty data scope means everything in the tenant.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string?>> Unrestricted =
        new Dictionary<string, IReadOnlyList<string?>>();
}
