namespace Vectros.Grains.Webhooks;

/// <summary>Tenant teardown's view of a tenant's webhook registrations (issue #11 item 7).</summary>
public interface ITenantWebhooks
{
    /// <summary>
    /// Sends the final <c>tenant.deleted</c> event to every registration of the tenant that is not disabled, and records
    /// the attempts. Idempotent: a registration that already acknowledged it (2xx) is not sent it again.
    /// </summary>
    Task SendTenantDeletedAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Removes every registration of the tenant with its secrets, pending deliveries and attempt rows; returns how many registrations went.</summary>
    Task<int> DeleteAllAsync(string tenantId, CancellationToken cancellationToken);
}
