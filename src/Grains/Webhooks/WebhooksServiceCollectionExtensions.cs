using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Webhook registration checks, the sender and delivery (issue #11).</summary>
    public static IServiceCollection AddVectrosWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IWebhookSender, PlainWebhookSender>();
        services.AddSingleton<IWebhookTargetPolicy, HttpsOnlyTargetPolicy>();
        services.AddSingleton<WebhookRegistrationStore>();
        services.AddSingleton<WebhookDeliveryStore>();
        services.AddSingleton<ITenantWebhooks, TenantWebhooks>();
        services.AddHostedService<WebhookEventDispatcher>();
        return services;
    }
}
