using Microsoft.Extensions.Hosting;

namespace Vectros.Runtime.Storage;

/// <summary>
/// Applies migrations at host start. <c>AddVectrosRuntime</c> registers it before the runtime's other
/// hosted services, and hosted services start in order, so the tables exist before reminders poll.
/// </summary>
public sealed class MigrationHostedService(MigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
