using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Vectros.Grains.Blobs;

public static class BlobsServiceCollectionExtensions
{
    /// <summary>The blob store (<see cref="IBlobStore"/>) chosen by <c>Vectros:Blobs</c>.</summary>
    public static IServiceCollection AddVectrosBlobs(this IServiceCollection services)
    {
        services.TryAddSingleton<IBlobStore, PostgresBlobStore>();
        return services;
    }
}
