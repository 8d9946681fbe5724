using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.Grains.Access;

/// <summary>Authoring-time checks shared by roles and profiles: the grammar, with membership levels looked up from the namespace registry.</summary>
internal static class AccessClauses
{
    public const string RoleKind = "access_role";
    public const string ProfileKind = "access_profile";

    /// <summary>
    /// Validates clauses in a context. A <c>${{ member.scope.&lt;ns&gt;[:level] }}</c> must name a namespace visible from the
    /// context (its own registration or the tenant-wide one) that declares membership, and a level it declares (§8.2).
    /// </summary>
    public static async Task<IReadOnlyList<ScopeClause>> ValidateAsync(
        IGrainFactory grains, string tenantId, string contextId, IReadOnlyList<ScopeClause> clauses, string field)
    {
        var declared = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var registry = grains.GetGrain<INamespaceRegistryGrain>(tenantId);

        // The registry is read on the server's behalf: which namespaces exist is not the writer's question to be refused.
        var system = new CallerContext(tenantId, contextId, "system", IsRoot: true, ["*"]);
        foreach (var ns in ScopeGrammar.MembershipNamespaces(clauses))
        {
            try
            {
                var registration = await registry.GetAsync(system, ns, contextId);
                if (registration.MembershipRecordType is not null)
                {
                    declared[ns] = registration.MembershipLevels ?? [];
                }
            }
            catch (NotFoundException)
            {
                // Unregistered: not declared, which ValidateClauses refuses with a 400 naming the namespace.
            }
        }

        return ScopeGrammar.ValidateClauses(clauses, declared, field);
    }

    public static async Task RequireActiveContextAsync(IGrainFactory grains, string tenantId, string contextId)
    {
        var context = await grains.GetGrain<Abstractions.AppContexts.IAppContextGrain>(
            Abstractions.AppContexts.AppContextKeys.Composite(tenantId, contextId)).GetAsync();
        if (context is not { Status: Abstractions.AppContexts.AppContextStatus.Active })
        {
            throw new NotFoundException("No app context exists with this contextId.");
        }
    }
}
