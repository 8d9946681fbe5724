using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Vectros.ApiFrontend.Logs;

public static class ApiLogsServiceCollectionExtensions
{
    /// <summary>
    /// The call and access logs' buffer and writer. Register after the silo or client, so the writer starts after it
    /// and stops (flushing what it holds) before it.
    /// </summary>
    public static IServiceCollection AddApiLogs(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ApiLogBufferOptions>().BindConfiguration(ApiLogBufferOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiLogBuffer>();
        services.AddSingleton<IAccessLog, AccessLog>();
        services.AddHostedService<ApiLogFlusher>();
        return services;
    }
}
