using Orleans;
using Orleans.Runtime;
using Vectros.Grains.Outbox;

namespace Vectros.Silo;

/// <summary>A front end joined as a client is ready when it can reach an active silo of its cluster.</summary>
public sealed class ClientHealth(IClusterClient client) : IClusterHealth
{
    public async Task<(bool Ready, string Detail)> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return hosts.Count > 0 ? (true, "ready") : (false, "no active silo");
        }
        catch (Exception ex) when (ex is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or InvalidOperationException)
        {
            return (false, "cluster unreachable");
        }
    }

    // The outbox is the silos' business; their /metrics report it.
    public Task<IReadOnlyList<OutboxKindDepth>?> OutboxDepthAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutboxKindDepth>?>(null);
}
