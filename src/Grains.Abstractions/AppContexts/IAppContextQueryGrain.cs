using Orleans;

namespace Vectros.Grains.Abstractions.AppContexts;

/// <summary>List queries over a tenant's contexts; a stateless worker keyed by tenant id.</summary>
[Alias("vectros.IAppContextQueryGrain")]
public interface IAppContextQueryGrain : IGrainWithStringKey
{
    /// <summary>A page of contexts after the cursor (a context's composite id), ordered by contextId.</summary>
    Task<AppContextPage> ListAsync(string? startFrom, int limit);
}
