using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vectros.Grains.Indexing.Extraction;

namespace Vectros.Grains.Indexing;

public static class EmbeddingServiceCollectionExtensions
{
    /// <summary>
    /// The embedder (<see cref="IEmbedder"/>, chosen by <c>Vectros:Embeddings:Provider</c>, validated at start-up)
    /// and the text extractor (<see cref="ITextExtractor"/>). Only the chosen embedder is ever built, so the MiniLM
    /// model is not loaded by a silo configured for another provider.
    /// </summary>
    public static IServiceCollection AddVectrosEmbeddings(this IServiceCollection services)
    {
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HashingEmbedder>();
        services.TryAddSingleton<MiniLmEmbedder>();
        services.TryAddSingleton<OpenAiCompatibleEmbedder>();
        services.AddHttpClient(OpenAiCompatibleEmbedder.HttpClientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan) // the embedder times each attempt itself
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // Re-resolve DNS now and then: a long-lived pool would otherwise pin one address of a load-balanced service.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            });
        services.TryAddSingleton<IEmbedder>(static sp => sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value.Provider switch
        {
            EmbeddingProvider.OpenAI => sp.GetRequiredService<OpenAiCompatibleEmbedder>(),
            EmbeddingProvider.Hashing => sp.GetRequiredService<HashingEmbedder>(),
            _ => sp.GetRequiredService<MiniLmEmbedder>(),
        });
        services.TryAddSingleton<ITextExtractor, TextExtractor>();
        return services;
    }
}
