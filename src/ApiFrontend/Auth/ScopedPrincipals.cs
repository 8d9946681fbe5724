using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// The one builder of scoped principals, for <c>ssk_</c> keys (clauses from the bound access profile, read now) and
/// <c>st_</c> tokens (the token's own clause): whatever the credential, the principal carries its profile principal,
/// its full clauses, the capabilities they confer, the union of their actions (what verb checks read) and, from a
/// single clause, the data scope ping reports. Clauses with an unknown capability are denied at runtime
/// (API-DELTA §8.4), so they contribute no action and no capability.
/// </summary>
public static class ScopedPrincipals
{
    /// <summary>Who the credential is, apart from what it may do.</summary>
    public sealed record Binding(
        string TenantId,
        TenantEnvironment Environment,
        string ContextId,
        CredentialKind Kind,
        string CredentialId,
        string? Label,
        string? UserId,
        DateTimeOffset? ExpiresAt = null,
        string? MintedBy = null,
        string? DelegationChain = null);

    public static Principal Build(Binding binding, IReadOnlyList<ScopeClause> clauses, IReadOnlyDictionary<string, string> identity)
    {
        var enforceable = clauses.Where(ScopeGrammar.IsEnforceable).ToList();
        var actions = enforceable.SelectMany(c => c.AllowedActions).Distinct(StringComparer.Ordinal).ToList();
        var capabilities = enforceable.SelectMany(c => c.GrantedCapabilities).ToHashSet(StringComparer.Ordinal);
        var dataScope = clauses is [var single]
            ? single.DataScope.ToDictionary(r => r.Key, r => r.Values, StringComparer.Ordinal)
            : Principal.Unrestricted;
        return new Principal(
            binding.TenantId, binding.Environment, binding.ContextId, binding.Kind, binding.CredentialId, binding.Label,
            actions, dataScope, binding.ExpiresAt, binding.UserId, identity, binding.MintedBy,
            PrincipalId: binding.UserId is null ? null : PrincipalIds.ForUser(binding.UserId),
            Clauses: clauses)
        {
            Capabilities = capabilities,
            DelegationChain = binding.DelegationChain,
        };
    }

    /// <summary>
    /// A scoped key acts as its user, stamped with the profile's identity overrides (<c>scope:&lt;ns&gt;</c>), under
    /// the profile's effective clauses (its role resolved now).
    /// </summary>
    public static Principal ForKey(Binding binding, EffectiveAccess profile)
    {
        var identity = new Dictionary<string, string>(profile.IdentityOverrides, StringComparer.Ordinal);
        if (binding.UserId is { } user)
        {
            identity["userId"] = user;
        }

        return Build(binding, profile.Clauses, identity);
    }
}
