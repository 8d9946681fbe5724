using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Search;

public static class SearchServiceCollectionExtensions
{
    /// <summary>Services and workers of the search area (issue #8).</summary>
    public static IServiceCollection AddVectrosSearch(this IServiceCollection services)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
