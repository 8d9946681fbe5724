using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.Grains.Inference;

/// <summary>The catalog from this silo's configuration (every silo is configured alike, so any activation will do).</summary>
[StatelessWorker]
public sealed class ModelCatalogGrain(IChatModelRegistry registry) : Grain, IModelCatalogGrain
{
    public Task<ModelCatalog> GetCatalogAsync() => Task.FromResult(registry.Catalog);
}
