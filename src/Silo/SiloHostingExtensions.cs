using Pgvector.Npgsql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Vectros.Grains;
using Vectros.Grains.Abstractions;
using Vectros.Grains.Teardown;
using Vectros.Silo.Storage;

namespace Vectros.Silo;

public static class SiloHostingExtensions
{
    /// <summary>ADO.NET invariant of Npgsql: the providers load the factory by this name.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>The ADO.NET grain storage behind <see cref="PartitionedGrainStorage"/>, which grains use as "Default".</summary>
    public const string AdoNetStorageName = "vectros-adonet";

    /// <summary>
    /// Wires a silo into the host (DESIGN §3): one <see cref="NpgsqlDataSource"/>, the migrations (first, so the
    /// providers' tables and queries exist before the silo reads them), Orleans with clustering, grain storage and
    /// reminders on PostgreSQL and the dashboard, then the domain grains' services and background workers.
    /// </summary>
    public static IHostApplicationBuilder AddVectrosSilo(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // UseVector: chunk embeddings travel as pgvector's binary type (migration 0006).
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(ConnectionString(sp));
            builder.UseVector();
            return builder.Build();
        });
        services.AddVectrosMigrations();
        services.AddHostedService<MigrationHostedService>();

        builder.UseOrleans(silo => silo.AddVectrosEndpoints().AddVectrosProviders().AddDashboard());

        services.AddSingleton<IContextDataPurger, GrainStatePurger>();
        services.AddSingleton<ITenantDataPurger, TenantGrainStatePurger>();
        services.AddVectrosGrains();
        services.AddSingleton<SiloHealth>();
        services.AddSingleton<IClusterHealth>(sp => sp.GetRequiredService<SiloHealth>());
        return builder;
    }

    /// <summary>
    /// The migration modules in the order they apply (the providers' tables, then the grains') and the runner.
    /// Needs an <see cref="NpgsqlDataSource"/> and logging.
    /// </summary>
    public static IServiceCollection AddVectrosMigrations(this IServiceCollection services)
    {
        services.AddMigrations("orleans", typeof(SiloHostingExtensions).Assembly);
        services.AddMigrations("grains", typeof(GrainsServiceCollectionExtensions).Assembly);
        services.TryAddSingleton<MigrationRunner>();
        return services;
    }

    /// <summary>Cluster id, service id and this silo's ports, from <see cref="OrleansOptions"/>.</summary>
    public static ISiloBuilder AddVectrosEndpoints(this ISiloBuilder silo)
    {
        AddClusterOptions(silo.Services);
        silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<OrleansOptions>>((o, v) =>
        {
            o.AdvertisedIPAddress = v.Value.AdvertisedIPAddress();
            o.SiloPort = v.Value.SiloPort;
            o.GatewayPort = v.Value.GatewayPort;
        });
        return silo;
    }

    /// <summary>
    /// The PostgreSQL providers (clustering, reminders, grain storage behind <see cref="PartitionedGrainStorage"/>),
    /// the JSON codecs, membership tuned for fast failure detection and the reminder period floor. Everything is
    /// read from options at start-up, not here: hosts (tests, tools) add their configuration after this runs.
    /// Grain tests' TestCluster silos use exactly this, with the cluster's own ids and ports.
    /// </summary>
    public static ISiloBuilder AddVectrosProviders(this ISiloBuilder silo)
    {
        AddOptions(silo.Services);
        silo.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<OrleansOptions>>((o, v) =>
        {
            o.ProbeTimeout = v.Value.ProbeTimeout;
            o.NumMissedProbesLimit = v.Value.NumMissedProbesLimit;
        });
        silo.Services.AddOptions<ReminderOptions>().Configure<IOptions<OrleansOptions>>((o, v) =>
            o.MinimumReminderPeriod = v.Value.MinimumReminderPeriod);

        silo.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringSiloOptions> options) => options.Configure<IOptions<SiloOptions>>((o, v) =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = v.Value.ConnectionString;
        }));
        silo.UseAdoNetReminderService((OptionsBuilder<AdoNetReminderTableOptions> options) => options.Configure<IOptions<SiloOptions>>((o, v) =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = v.Value.ConnectionString;
        }));
        silo.AddAdoNetGrainStorage(AdoNetStorageName, options => options.Configure<Serializer, IOptions<SiloOptions>>((o, serializer, v) =>
        {
            o.Invariant = NpgsqlInvariant;
            o.ConnectionString = v.Value.ConnectionString;
            // Orleans' own version-tolerant binary format ([GenerateSerializer] state), not the provider's
            // default Newtonsoft JSON with .NET type names inside (DESIGN §1 trap 3).
            o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            // A cleared state leaves no row behind.
            o.DeleteStateOnClear = true;
        }));
        silo.Services.AddGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (sp, _) =>
            new PartitionedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(AdoNetStorageName)));

        silo.Services.AddSerializer(s => s.AddVectrosJsonTypes());
        return silo;
    }

    /// <summary>The cluster this process belongs to (silo or client), from <see cref="OrleansOptions"/>.</summary>
    internal static void AddClusterOptions(IServiceCollection services)
    {
        AddOptions(services);
        services.AddOptions<ClusterOptions>().Configure<IOptions<OrleansOptions>>((o, v) =>
        {
            o.ClusterId = v.Value.ClusterId;
            o.ServiceId = v.Value.ServiceId;
        });
    }

    /// <summary>
    /// <see cref="SiloOptions"/> (the connection string) and <see cref="OrleansOptions"/>, validated at start-up.
    /// Both the endpoints and the providers need them; registered once, so binding and validation run once.
    /// </summary>
    internal static void AddOptions(IServiceCollection services)
    {
        if (services.Any(static d => d.ServiceType == typeof(OptionsMarker)))
        {
            return;
        }

        services.AddSingleton<OptionsMarker>();
        services.AddOptions<SiloOptions>()
            .Configure<IConfiguration>((o, c) => o.ConnectionString = c.GetConnectionString("Vectros"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<OrleansOptions>().BindConfiguration(OrleansOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    }

    private sealed class OptionsMarker;

    private static string ConnectionString(IServiceProvider sp) =>
        sp.GetRequiredService<IOptions<SiloOptions>>().Value.ConnectionString
        ?? throw new OptionsValidationException(nameof(SiloOptions), typeof(SiloOptions), ["ConnectionStrings:Vectros is not set."]);
}
