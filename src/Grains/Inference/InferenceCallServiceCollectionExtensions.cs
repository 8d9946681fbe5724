using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Inference;

public static class InferenceCallServiceCollectionExtensions
{
    /// <summary>Options of the streaming inference calls and the prepaid ledger (issue #10 items 2-4).</summary>
    public static IServiceCollection AddVectrosInferenceCalls(this IServiceCollection services)
    {
        services.AddOptions<InferenceCallOptions>().BindConfiguration(InferenceCallOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
