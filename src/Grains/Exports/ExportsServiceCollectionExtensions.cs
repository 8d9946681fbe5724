using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Exports;

public static class ExportsServiceCollectionExtensions
{
    /// <summary>
    /// Export jobs: options (<c>Vectros:Exports</c>), the run and purge outbox handlers, and the line formatter
    /// (the front end registers the read APIs' shapes first; <see cref="ViewExportLineFormatter"/> otherwise).
    /// </summary>
    public static IServiceCollection AddVectrosExports(this IServiceCollection services)
    {
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IExportLineFormatter, ViewExportLineFormatter>();
        services.AddSingleton<IOutboxHandler, ExportJobHandler>();
        services.AddSingleton<IOutboxHandler, ExportPurgeHandler>();
        return services;
    }
}
