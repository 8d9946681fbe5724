using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Vectros.Grains.Network;

public static class NetworkServiceCollectionExtensions
{
    /// <summary>The resolver and the anti-SSRF connector, for any outbound call to an address a partner chose.</summary>
    public static IServiceCollection AddGuardedConnections(this IServiceCollection services)
    {
        services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton<GuardedConnector>();
        return services;
    }
}
