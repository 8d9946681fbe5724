namespace Vectros.Grains.Webhooks;

/// <summary>PLACEHOLDER (issue #11 seam): a tenant with no registrations. Replaced by the registrations' implementation.</summary>
public sealed class NoTenantWebhooks : ITenantWebhooks
{
    public Task SendTenantDeletedAsync(string tenantId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<int> DeleteAllAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult(0);
}
