using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Erasure;

public static class ErasureServiceCollectionExtensions
{
    /// <summary>The erasure engine: its outbox handler (kind <c>erasure.request</c>) and what the handler uses.</summary>
    public static IServiceCollection AddVectrosErasure(this IServiceCollection services)
    {
        services.AddSingleton<ErasureEraser>();
        services.AddSingleton<IOutboxHandler, ErasureHandler>();
        return services;
    }
}
