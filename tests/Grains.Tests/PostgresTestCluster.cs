using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Serialization;
using Vectros.Grains.Abstractions;
using Orleans.TestingHost;
using Vectros.Silo;
using Vectros.TestSupport;

namespace Vectros.Grains.Tests;

/// <summary>
/// An Orleans TestCluster whose silos run on the project's PostgreSQL providers exactly as configured in production
/// (<see cref="SiloHostingExtensions.AddVectrosProviders"/>): ADO.NET clustering instead of the test membership,
/// ADO.NET reminders and grain storage, against a throw-away database migrated by the production runner.
/// </summary>
public static class PostgresTestCluster
{
    public static async Task<TestCluster> StartAsync(TestDatabase database, short silos = 1, string? serviceId = null)
    {
        await TestMigrations.ApplyAsync(database.ConnectionString);
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseTestClusterMembership = false;
        if (serviceId is not null)
        {
            builder.Options.ServiceId = serviceId;
        }

        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Vectros"] = database.ConnectionString,
            // Reminders tick every second in these tests; production keeps Orleans' one-minute floor.
            ["Vectros:Orleans:MinimumReminderPeriod"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        builder.AddSiloBuilderConfigurator<ProvidersConfigurator>();
        builder.AddClientBuilderConfigurator<ProvidersConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class ProvidersConfigurator : ISiloConfigurator, IClientBuilderConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddVectrosProviders();

        // The cluster's client finds gateways in the same membership table, and speaks the same JSON codecs.
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = SiloHostingExtensions.NpgsqlInvariant;
                o.ConnectionString = configuration.GetConnectionString("Vectros");
            });
            clientBuilder.Services.AddSerializer(s => s.AddVectrosJsonTypes());
        }
    }
}
