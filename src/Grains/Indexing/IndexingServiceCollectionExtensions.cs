using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Indexing;

public static class IndexingServiceCollectionExtensions
{
    /// <summary>Services and workers of the indexing area (issue #8).</summary>
    public static IServiceCollection AddVectrosIndexing(this IServiceCollection services)
    {
        return services;
    }
}
