using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Inference;

public static class OpenAiChatHttpClient
{
    /// <summary>
    /// The pooled client every <see cref="OpenAiCompatibleChatModel"/> shares. No client-wide time-out: a streamed
    /// answer may rightly last minutes; the model times the connect, the first token and each silence itself.
    /// </summary>
    public static IServiceCollection AddOpenAiChatHttpClient(this IServiceCollection services)
    {
        services.AddHttpClient(OpenAiCompatibleChatModel.HttpClientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // Re-resolve DNS now and then: a long-lived pool would otherwise pin one address of a load-balanced service.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(15),
            });
        return services;
    }
}
