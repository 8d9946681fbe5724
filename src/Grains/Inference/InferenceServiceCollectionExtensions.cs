using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Vectros.Grains.Inference;

public static class InferenceServiceCollectionExtensions
{
    /// <summary>The model catalog and its providers (<see cref="IChatModelRegistry"/>), validated at start-up.</summary>
    public static IServiceCollection AddVectrosInference(this IServiceCollection services)
    {
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IChatModelFactory, ExtractiveAnswererFactory>();
        services.AddSingleton<IChatModelFactory, OpenAiChatModelFactory>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOpenAiChatHttpClient();
        services.AddHostedService<InferenceSafetyWarnings>();
        services.TryAddSingleton<IChatModelRegistry, ChatModelRegistry>();
        return services;
    }
}
