using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Outbox;
using Vectros.Grains.Security;
using Vectros.Grains.Teardown;
using Vectros.Runtime;

namespace Vectros.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers the domain grains, their migrations and the background workers they own.</summary>
    public static IServiceCollection AddVectrosGrains(this IServiceCollection services)
    {
        services.AddMigrations("grains", typeof(GrainsServiceCollectionExtensions).Assembly);
        services.AddGrainsFrom(typeof(GrainsServiceCollectionExtensions).Assembly);

        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TeardownOptions>().BindConfiguration(TeardownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TenantKeyring>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<IOutboxHandler, ContextTeardownHandler>();
        foreach (var table in TablePurger.ContextTables)
        {
            services.AddSingleton<IContextDataPurger>(sp => new TablePurger(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), table));
        }

        services.AddSingleton<IContextDataPurger, GrainStatePurger>();
        services.AddSingleton<IContextDataPurger, OutboxPurger>();
        services.AddHostedService<OutboxWorker>();
        return services;
    }
}
