using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>
/// The namespace registrations of one tenant (API-DELTA-0.40 §8.2), a stateless worker keyed by tenant id. A
/// registration is tenant-wide (<c>contextId</c> null) or owned by one app context; a <c>contextId</c> naming a
/// context that does not exist is a 404, and a non-root caller may only name its own context (403).
/// </summary>
[Alias("vectros.INamespaceRegistryGrain")]
public interface INamespaceRegistryGrain : IGrainWithStringKey
{
    /// <summary>Registers <paramref name="ns"/>; the same name twice for the same owner is 409 <c>NAMESPACE_EXISTS</c>.</summary>
    Task<NamespaceView> RegisterAsync(CallerContext caller, string ns, string? contextId, NamespaceDefinition definition);

    /// <summary>With a context: its own registration, else the tenant-wide one; without: the tenant-wide one; else 404.</summary>
    Task<NamespaceView> GetAsync(CallerContext caller, string ns, string? contextId);

    /// <summary>Without a context the tenant-wide rows only; with one that context's own rows only.</summary>
    Task<NamespacePage> ListAsync(CallerContext caller, string? contextId, string? startFrom, int limit);

    /// <summary>Applies the non-null fields to the registration of exactly this owner; 409 RESOURCE_IN_USE to un-back a namespace with entities.</summary>
    Task<NamespaceView> UpdateAsync(CallerContext caller, string ns, string? contextId, NamespaceDefinition definition);

    /// <summary>Deletes the registration of exactly this owner; 409 RESOURCE_IN_USE while it has entities.</summary>
    Task DeleteAsync(CallerContext caller, string ns, string? contextId);

    /// <summary>
    /// The namespace an <c>/v1/entities/{ns}</c> request works in (§8.3): <c>?contextId=</c> is required for a
    /// context-owned namespace and refused for a tenant-wide one; the registration must exist and be entity-backed
    /// (400 otherwise, naming the namespace).
    /// </summary>
    Task<EntityNamespace> ResolveForEntitiesAsync(CallerContext caller, string ns, string? contextId);
}
