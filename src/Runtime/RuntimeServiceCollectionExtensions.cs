using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Vectros.Runtime.Hosting;
using Vectros.Runtime.Reminders;
using Vectros.Runtime.Statistics;
using Vectros.Runtime.Storage;

namespace Vectros.Runtime;

/// <summary>Registers the grain runtime (DESIGN §3) in a host.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IGrainFactory"/>, <see cref="IRuntimeStatistics"/>, the <see cref="MigrationRunner"/>
    /// with its hosted service (first, so tables exist before anything else starts), the shutdown
    /// deactivation, the reminder service and the idle collector. Options bind from
    /// <see cref="RuntimeOptions.SectionName"/>; <paramref name="configure"/> runs after binding.
    /// The host must register an <see cref="NpgsqlDataSource"/> singleton.
    /// </summary>
    public static IServiceCollection AddVectrosRuntime(this IServiceCollection services, Action<RuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RuntimeOptions>().BindConfiguration(RuntimeOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        if (services.Any(static d => d.ServiceType == typeof(GrainCatalog)))
        {
            return services; // already added; only the extra configuration above applies
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RuntimeOptions>, RuntimeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMigrations(MigrationRunner.RuntimeModule, typeof(Grain).Assembly);
        services.TryAddSingleton(static sp => new MigrationRunner(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetServices<MigrationModule>(),
            sp.GetRequiredService<ILogger<MigrationRunner>>()));

        services.AddSingleton<GrainTypeRegistry>();
        services.AddSingleton<RuntimeStatistics>();
        services.AddSingleton<IRuntimeStatistics>(static sp => sp.GetRequiredService<RuntimeStatistics>());
        services.AddSingleton<GrainStateStore>();
        services.AddSingleton<ReminderTable>();
        services.AddSingleton<GrainCatalog>();
        services.AddSingleton<IActivationControl, ActivationControl>();
        services.AddSingleton<IGrainFactory, GrainFactory>();

        // Hosted services start in this order and stop in reverse: migrations first; activations are
        // deactivated only after reminders and idle collection have stopped.
        services.AddHostedService<MigrationHostedService>();
        services.AddHostedService<ActivationShutdownService>();
        services.AddHostedService<ReminderService>();
        services.AddHostedService<IdleCollector>();
        return services;
    }

    /// <summary>
    /// Registers the non-abstract classes of <paramref name="assembly"/> that derive from <see cref="Grain"/>,
    /// each under the grain interfaces it implements. Throws when a class breaks a runtime rule.
    /// </summary>
    public static IServiceCollection AddGrainsFrom(this IServiceCollection services, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(assembly);
        if (!services.Any(d => !d.IsKeyedService && d.ImplementationInstance is GrainAssembly registered && registered.Assembly == assembly))
        {
            services.AddSingleton(GrainAssembly.Scan(assembly));
        }

        return services;
    }

    /// <summary>
    /// Registers the embedded <c>Storage/Migrations/NNNN_name.sql</c> scripts of <paramref name="assembly"/>
    /// under <paramref name="module"/>. Modules apply in registration order, after "runtime".
    /// </summary>
    public static IServiceCollection AddMigrations(this IServiceCollection services, string module, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        ArgumentNullException.ThrowIfNull(assembly);
        var existing = services
            .Where(static d => !d.IsKeyedService) // ImplementationInstance throws on keyed descriptors
            .Select(static d => d.ImplementationInstance)
            .OfType<MigrationModule>()
            .FirstOrDefault(m => m.Name == module);
        if (existing is not null)
        {
            return existing.Assembly == assembly
                ? services
                : throw new InvalidOperationException($"Migration module '{module}' is already registered for {existing.Assembly.GetName().Name}.");
        }

        services.AddSingleton(new MigrationModule(module, assembly));
        return services;
    }
}
