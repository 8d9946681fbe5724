using Npgsql;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Deletes persisted grain state of grains keyed inside the context. Context-scoped grains are keyed
/// <c>tenant#context#…</c> by convention, which is what makes this one statement enough.
/// </summary>
internal sealed class GrainStatePurger(NpgsqlDataSource dataSource) : IContextDataPurger
{
    public string Name => "grain_state";

    public async Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            DELETE FROM grain_state WHERE ctid IN (
                SELECT ctid FROM grain_state WHERE starts_with(grain_key, $1) LIMIT $2)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = $"{tenantId}#{contextId}#" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
