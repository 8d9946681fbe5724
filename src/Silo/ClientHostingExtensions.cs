using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Serialization;
using Vectros.Grains.Abstractions;

namespace Vectros.Silo;

public static class ClientHostingExtensions
{
    /// <summary>
    /// Joins the cluster as an Orleans client (<c>Vectros:Orleans:Role = client</c>): a front end in front of a
    /// cluster of silos (DESIGN §2). It finds the silos' gateways in the PostgreSQL membership table, speaks the same
    /// serializers, and runs no grains, migrations or workers of its own.
    /// </summary>
    public static IHostApplicationBuilder AddVectrosClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.UseOrleansClient(client =>
        {
            SiloHostingExtensions.AddClusterOptions(client.Services);
            client.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringClientOptions> options) => options.Configure<IOptions<SiloOptions>>((o, v) =>
            {
                o.Invariant = SiloHostingExtensions.NpgsqlInvariant;
                o.ConnectionString = v.Value.ConnectionString;
            }));
            client.Services.AddSerializer(s => s.AddVectrosJsonTypes());
            client.AddDashboard();
        });
        services.AddSingleton<IClusterHealth, ClientHealth>();
        return builder;
    }
}
