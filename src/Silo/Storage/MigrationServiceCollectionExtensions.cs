using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Silo.Storage;

public static class MigrationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded <c>Storage/Migrations/NNNN_name.sql</c> scripts of <paramref name="assembly"/>
    /// under <paramref name="module"/>. Modules apply in registration order.
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
