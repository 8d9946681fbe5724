using Npgsql;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Deletes a tenant's rows from one table, in batches. The outbox keeps the teardown's own row, which the worker
/// deletes when the job completes.
/// </summary>
internal sealed class TenantTablePurger(NpgsqlDataSource dataSource, string table) : ITenantDataPurger
{
    private readonly string _sql = table == "outbox"
        ? $"DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE tenant_id = $1 AND kind <> '{TenantTeardownHandler.Kind}' LIMIT $2)"
        : $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE tenant_id = $1 LIMIT $2)";

    public string Name => table;

    public async Task<int> PurgeBatchAsync(string tenantId, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(_sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
