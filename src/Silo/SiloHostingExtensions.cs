using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Vectros.Grains;
using Vectros.Runtime;

namespace Vectros.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Wires a silo into the host: one <see cref="NpgsqlDataSource"/>, the actor runtime (migrations first), the
    /// domain grains and their background workers.
    /// </summary>
    public static IHostApplicationBuilder AddVectrosSilo(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiloOptions>()
            .Configure<IConfiguration>((o, c) => o.ConnectionString = c.GetConnectionString("Vectros"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var cs = sp.GetRequiredService<IOptions<SiloOptions>>().Value.ConnectionString
                ?? throw new OptionsValidationException(nameof(SiloOptions), typeof(SiloOptions), ["ConnectionStrings:Vectros is not set."]);
            return new NpgsqlDataSourceBuilder(cs).Build();
        });

        services.AddVectrosRuntime();
        services.AddVectrosGrains();
        services.AddSingleton<SiloHealth>();
        return builder;
    }
}
