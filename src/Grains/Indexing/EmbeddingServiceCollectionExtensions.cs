using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Vectros.Grains.Indexing;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>The embedder (<see cref="IEmbedder"/>) and the text extractor (<see cref="ITextExtractor"/>).</summary>
    public static IServiceCollection AddVectrosEmbeddings(this IServiceCollection services)
    {
        services.TryAddSingleton<IEmbedder, HashingEmbedder>();
        return services;
    }
}
