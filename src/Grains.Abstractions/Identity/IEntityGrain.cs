using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>
/// One identity entity, keyed <c>tenant#home#id</c> (<see cref="EntityRules.Key"/>); ids are UUIDv7 chosen by the
/// front end, and an entity's scope value (<c>org:&lt;value&gt;</c>) is its id as text. The grain owns its writes:
/// the row, its lookup rows and its history row go in one transaction guarded by the version it last saw. An id of
/// another tenant, home or namespace is a 404, exactly like a missing one.
/// </summary>
[Alias("vectros.IEntityGrain")]
public interface IEntityGrain : IGrainWithStringKey
{
    /// <summary>Creates the entity under this id; an externalId already held in the namespace answers with that entity (or upserts it).</summary>
    Task<EntityCreateResult> CreateAsync(CallerContext caller, EntityNamespace ns, EntityWrite write, bool upsert);

    /// <summary>Idempotent-create match: this entity already holds the externalId; returned unchanged, or upserted.</summary>
    Task<EntityCreateResult> MatchExternalIdAsync(CallerContext caller, EntityNamespace ns, EntityWrite write, bool upsert);

    /// <summary>The entity, sensitive values masked unless the caller may reveal them.</summary>
    [ReadOnly]
    Task<EntityView> GetAsync(CallerContext caller, EntityNamespace ns);

    /// <summary>PUT: given fields replace (payload and scopes whole), omitted ones stay; externalId is immutable.</summary>
    Task<EntityView> UpdateAsync(CallerContext caller, EntityNamespace ns, EntityWrite write);

    /// <summary>Deletes the row and its lookup rows; the history (with its DELETE row) stays.</summary>
    Task DeleteAsync(CallerContext caller, EntityNamespace ns);

    /// <summary>History newest first, also after a delete; 404 when the id has none in this namespace.</summary>
    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, EntityNamespace ns, string? startFrom, int limit);
}
