using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vectros.Grains.Blobs;
using Vectros.Grains.Documents;
using Vectros.Grains.Erasure;
using Vectros.Grains.Exports;
using Vectros.Grains.Indexing;
using Vectros.Grains.Inference;
using Vectros.Grains.Logs;
using Vectros.Grains.Metering;
using Vectros.Grains.Outbox;
using Vectros.Grains.Records;
using Vectros.Grains.Search;
using Vectros.Grains.Security;
using Vectros.Grains.Teardown;
using Vectros.Grains.Tokens;
using Vectros.Grains.Webhooks;

namespace Vectros.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the services the domain grains depend on and the background workers they own. The grain classes
    /// themselves are found by Orleans (this assembly is a grain assembly through the Orleans SDK); their tables'
    /// migrations are registered by the silo, which runs them. Call after the silo is added, so the workers start
    /// once the silo is up.
    /// </summary>
    public static IServiceCollection AddVectrosGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TeardownOptions>().BindConfiguration(TeardownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Keys.ScopedKeyOptions>().BindConfiguration(Keys.ScopedKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TenantKeyring>();
        services.AddVectrosTokenSigning();
        services.AddSingleton<Users.InviteTokens>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IOutboxHandler, ContextTeardownHandler>();
        foreach (var table in TablePurger.ContextTables)
        {
            services.AddSingleton<IContextDataPurger>(sp => new TablePurger(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), table));
        }

        services.AddSingleton<ContextActivations>();
        services.AddSingleton<IContextDataPurger, OutboxPurger>();
        services.AddSingleton<ContextPurge>();

        // Tenant teardown (issue #11 item 7): every tenant table, in order, after the context purgers.
        services.AddSingleton<TenantTeardownStore>();
        services.AddSingleton<TenantActivations>();
        services.AddSingleton<IOutboxHandler, TenantTeardownHandler>();
        foreach (var table in TenantTables.Purged)
        {
            services.AddSingleton<ITenantDataPurger>(sp => new TenantTablePurger(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), table));
        }

        services.AddHostedService<OutboxWorker>();
        services.AddOptions<RecordExpiryOptions>().BindConfiguration(RecordExpiryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<RecordExpiryScheduler>();
        services.AddOptions<ApiLogRetentionOptions>().BindConfiguration(ApiLogRetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<ApiLogPurger>();
        services.AddVectrosEmbeddings();
        services.AddVectrosBlobs();
        services.AddVectrosDocuments();
        services.AddVectrosIndexing();
        services.AddVectrosSearch();
        services.AddVectrosInferenceCalls();
        services.AddVectrosMetering();
        services.AddVectrosInference();
        services.AddVectrosWebhooks();
        services.AddVectrosErasure();
        services.AddVectrosExports();
        return services;
    }
}
