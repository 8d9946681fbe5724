using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.Grains.Webhooks;

/// <summary>A tenant's registrations, a page at a time (ordered by id, which is time-ordered). Reads only.</summary>
[StatelessWorker]
public sealed class WebhookDirectoryGrain(WebhookRegistrationStore store, TimeProvider time) : Grain, IWebhookDirectoryGrain
{
    public async Task<WebhookPage<WebhookRegistration>> ListAsync(string? cursor, int limit)
    {
        var rows = await store.ListAsync(this.GetPrimaryKeyString(), cursor, limit + 1);
        var now = time.GetUtcNow();
        var items = rows.Take(limit).Select(r => r.ToView([], now)).ToList();
        return new WebhookPage<WebhookRegistration>(items, rows.Count > limit ? rows[limit - 1].Id : null);
    }
}
