using Npgsql;
using Vectros.Grains.Teardown;

namespace Vectros.Silo.Storage;

/// <summary>
/// Tenant teardown's pass over <c>orleans_storage</c>: the persisted state of every grain keyed by the tenant
/// (<c>tenant</c> or <c>tenant#…</c>). Tenant ids are fixed-length and random, so a prefix match finds only its grains.
/// </summary>
internal sealed class TenantGrainStatePurger(NpgsqlDataSource dataSource) : ITenantDataPurger
{
    public string Name => "orleans_storage";

    public async Task<int> PurgeBatchAsync(string tenantId, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            DELETE FROM orleans_storage WHERE ctid IN (
                SELECT ctid FROM orleans_storage WHERE starts_with(grain_key, $1) LIMIT $2)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
