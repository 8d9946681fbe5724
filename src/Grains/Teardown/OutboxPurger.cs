using Npgsql;

namespace Vectros.Grains.Teardown;

/// <summary>Drops queued work for the context (indexing, webhooks…): it would only recreate what teardown deletes.</summary>
internal sealed class OutboxPurger(NpgsqlDataSource dataSource) : IContextDataPurger
{
    public string Name => "outbox";

    public async Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE tenant_id = $1 AND context_id = $2 AND kind <> $3 LIMIT $4)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = ContextTeardownHandler.Kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
