using Microsoft.Extensions.Hosting;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// Deactivates every activation (<see cref="DeactivationReason.ShuttingDown"/>) when the host stops.
/// Registered before the reminder service and idle collector, so it stops after them.
/// </summary>
internal sealed class ActivationShutdownService(GrainCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => catalog.DeactivateAllAsync(cancellationToken);
}
