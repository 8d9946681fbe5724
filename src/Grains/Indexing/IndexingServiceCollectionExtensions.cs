using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Indexing;

public static class IndexingServiceCollectionExtensions
{
    /// <summary>
    /// Services and workers of the indexing area (issue #8): the <c>record.index</c> and <c>document.index</c> outbox
    /// handlers, drained by the silo's <see cref="OutboxWorker"/>, and what they share.
    /// </summary>
    public static IServiceCollection AddVectrosIndexing(this IServiceCollection services)
    {
        services.AddOptions<IndexingOptions>().BindConfiguration(IndexingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ChunkStore>();
        services.AddSingleton<ChunkEmbedder>();
        services.AddSingleton<IOutboxHandler, RecordIndexHandler>();
        services.AddSingleton<IOutboxHandler, DocumentIndexHandler>();
        return services;
    }
}
