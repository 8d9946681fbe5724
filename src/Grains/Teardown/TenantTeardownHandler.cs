using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Outbox;
using Vectros.Grains.Webhooks;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Tears a whole tenant down (issue #11 item 7), from its one outbox row. Every step deletes in batches, each its own
/// transaction, and every step can run again, so a crash mid-way loses nothing: the lease lapses and the next run
/// carries on with what is left. Order: the tenant's grains are deactivated (flushing buffered usage), every context's
/// data goes through the context purgers, then the tenant-wide rows; the grains are dropped again and a last sweep
/// takes what they flushed; the final <c>tenant.deleted</c> delivery goes out while the registrations still exist, then
/// they are removed, then the root keys and the tenant row, and only then is the status <c>deleted</c>.
/// </summary>
public sealed partial class TenantTeardownHandler(
    ContextPurge contextPurge,
    IEnumerable<ITenantDataPurger> tenantPurgers,
    TenantTeardownStore store,
    TenantActivations activations,
    ITenantWebhooks webhooks,
    IGrainFactory grains,
    IOptions<TeardownOptions> options,
    ILogger<TenantTeardownHandler> logger) : IOutboxHandler
{
    public const string Kind = "tenant.teardown";

    string IOutboxHandler.Kind => Kind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var tenantId = message.TenantId;
        await activations.DeactivateAsync(tenantId, cancellationToken);

        foreach (var contextId in await store.ContextsAsync(tenantId, cancellationToken))
        {
            await contextPurge.PurgeAsync(
                tenantId, contextId, renewLease, (name, count) => store.AddProgressAsync(tenantId, name, count, cancellationToken), cancellationToken);
        }

        await PurgeTenantWideAsync(tenantId, renewLease, cancellationToken);

        // Grains that held buffered writes (usage counts) flush them on deactivation: drop them and sweep once more.
        var dropped = await activations.DeactivateAsync(tenantId, cancellationToken);
        LogDeactivated(logger, dropped, tenantId);
        await PurgeTenantWideAsync(tenantId, renewLease, cancellationToken);

        // The final event goes out while the registrations still exist; the implementation skips ones already acknowledged.
        await store.AddProgressAsync(tenantId, "webhooks", 0, cancellationToken);
        await webhooks.SendTenantDeletedAsync(tenantId, cancellationToken);
        var registrations = await webhooks.DeleteAllAsync(tenantId, cancellationToken);
        await store.AddProgressAsync(tenantId, "webhooks", registrations, cancellationToken);
        await renewLease();

        var final = await store.DeleteTenantAsync(tenantId, cancellationToken);
        await store.AddProgressAsync(tenantId, "root_keys+tenants", final, cancellationToken);
        await grains.GetGrain<ITenantGrain>(tenantId).MarkDeletedAsync();
        LogDeleted(logger, tenantId);
    }

    private async Task PurgeTenantWideAsync(string tenantId, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        foreach (var purger in tenantPurgers)
        {
            await PurgeLoop.DrainAsync(
                (size, ct) => purger.PurgeBatchAsync(tenantId, size, ct),
                options.Value.BatchSize,
                renewLease,
                count => store.AddProgressAsync(tenantId, purger.Name, count, cancellationToken),
                cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant teardown deactivated {Count} cached grains of tenant {TenantId}")]
    private static partial void LogDeactivated(ILogger logger, int count, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tenant {TenantId} torn down")]
    private static partial void LogDeleted(ILogger logger, string tenantId);
}
