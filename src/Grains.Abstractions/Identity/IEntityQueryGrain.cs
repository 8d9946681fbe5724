using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>Entity list and lookup queries of one home; a stateless worker keyed <c>tenant#home</c> (<see cref="EntityRules.QueryKey"/>).</summary>
[Alias("vectros.IEntityQueryGrain")]
public interface IEntityQueryGrain : IGrainWithStringKey
{
    /// <summary><c>GET /v1/entities/{ns}</c> and <c>POST /v1/entities/{ns}/lookup</c> (and the 0.31 org/client views).</summary>
    Task<EntityPage> ListAsync(CallerContext caller, EntityNamespace ns, EntityListQuery query);
}
