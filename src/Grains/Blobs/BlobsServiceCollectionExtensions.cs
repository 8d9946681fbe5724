using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Vectros.Grains.Teardown;

namespace Vectros.Grains.Blobs;

public static class BlobsServiceCollectionExtensions
{
    /// <summary>
    /// The blob store (<see cref="IBlobStore"/>) chosen by <c>Vectros:Blobs:Provider</c>: PostgreSQL (the default) or a
    /// local directory (<c>Disk</c>, <c>Vectros:Blobs:Path</c>), options validated at start-up; plus the teardown of a
    /// context's files on disk.
    /// </summary>
    public static IServiceCollection AddVectrosBlobs(this IServiceCollection services)
    {
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<IOptions<BlobOptions>>().Value.IsDisk
            ? new DiskBlobStore(sp.GetRequiredService<IOptions<BlobOptions>>())
            : new PostgresBlobStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IContextDataPurger, DiskBlobPurger>();
        return services;
    }
}
