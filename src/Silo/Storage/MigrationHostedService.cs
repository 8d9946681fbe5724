using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Vectros.Silo.Storage;

/// <summary>
/// Applies migrations at host start. It is registered before the Orleans silo, and hosted services start in
/// registration order, so the providers' tables and queries exist before the silo reads them.
/// </summary>
public sealed class MigrationHostedService(MigrationRunner runner, NpgsqlDataSource dataSource) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await runner.ApplyAsync(cancellationToken);

        // The data source loaded the database's types on its first connection, which on a fresh database was
        // before a migration created the vector extension: without a reload, vector parameters (chunk
        // embeddings, query vectors) cannot be written until the process restarts.
        await dataSource.ReloadTypesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
