using Npgsql;
using Vectros.Grains.Outbox;
using Vectros.Silo.Storage;

namespace Vectros.Silo;

/// <summary>Readiness: the database answers and every migration has been applied.</summary>
public sealed class SiloHealth(NpgsqlDataSource dataSource, MigrationRunner migrations, OutboxStore outbox) : IClusterHealth
{
    public async Task<(bool Ready, string Detail)> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using (var cmd = dataSource.CreateCommand("SELECT 1"))
            {
                await cmd.ExecuteScalarAsync(cancellationToken);
            }

            return await migrations.IsUpToDateAsync(cancellationToken)
                ? (true, "ready")
                : (false, "migrations pending");
        }
        catch (NpgsqlException)
        {
            return (false, "database unreachable");
        }
    }

    /// <summary>Outbox rows waiting by kind; null when the database cannot be reached (metrics still serve in-process numbers).</summary>
    public async Task<IReadOnlyList<OutboxKindDepth>?> OutboxDepthAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await outbox.DepthAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
