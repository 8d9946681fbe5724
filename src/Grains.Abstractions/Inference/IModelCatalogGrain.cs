using Orleans;
using Orleans.Concurrency;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>Serves the configured model catalog (configuration is per silo, so any activation answers the same).</summary>
[Alias("vectros.IModelCatalogGrain")]
public interface IModelCatalogGrain : IGrainWithIntegerKey
{
    Task<ModelCatalog> GetCatalogAsync();
}
