using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Metering;

public static class MeteringServiceCollectionExtensions
{
    /// <summary>
    /// The rate card, plans and the usage meter. <c>Vectros:Usage:Enabled=false</c> swaps in <see cref="NoUsageMeter"/>
    /// (nothing counted, nothing refused): the bench's baseline for the metering overhead.
    /// </summary>
    public static IServiceCollection AddVectrosMetering(this IServiceCollection services)
    {
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Plans.ContainsKey(o.DefaultPlan), "Vectros:Usage:DefaultPlan must name one of Vectros:Usage:Plans.")
            .Validate(o => o.FlushInterval > TimeSpan.Zero && o.AllowanceCacheTime <= TimeSpan.FromSeconds(1),
                "Vectros:Usage:FlushInterval must be positive and AllowanceCacheTime at most 1 s.")
            .ValidateOnStart();
        services.AddSingleton<RateCard>();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<IUsageMeter>(sp => sp.GetRequiredService<IOptions<UsageOptions>>().Value.Enabled
            ? sp.GetRequiredService<UsageMeter>()
            : new NoUsageMeter());
        return services;
    }
}
