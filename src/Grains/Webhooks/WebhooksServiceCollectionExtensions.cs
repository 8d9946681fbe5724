using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Domains;
using Vectros.Grains.Network;

namespace Vectros.Grains.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Verified domains, the resolver, webhook target checks, the anti-SSRF sender and delivery (issue #11).</summary>
    public static IServiceCollection AddVectrosWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DnsOptions>().BindConfiguration(DnsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IHostResolver, DnsHostResolver>();
        services.AddSingleton<DomainStore>();
        services.AddSingleton<WebhookAddressGate>();
        services.AddSingleton<IWebhookSender, GuardedWebhookSender>();
        services.AddSingleton<IWebhookTargetPolicy, VerifiedDomainTargetPolicy>();
        services.AddSingleton<ITenantWebhooks, NoTenantWebhooks>();
        services.AddHostedService<WebhookSafetyWarnings>();
        return services;
    }
}
