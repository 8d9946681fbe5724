using Microsoft.Extensions.Hosting;

namespace Vectros.Silo.Storage;

/// <summary>
/// Applies migrations at host start. It is registered before the Orleans silo, and hosted services start in
/// registration order, so the providers' tables and queries exist before the silo reads them.
/// </summary>
public sealed class MigrationHostedService(MigrationRunner runner) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runner.ApplyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
