using Npgsql;
using Vectros.Grains.Teardown;

namespace Vectros.Silo.Storage;

/// <summary>
/// Deletes the persisted state (<c>orleans_storage</c>) of grains keyed inside a deleted context. Context-scoped
/// grains are keyed <c>tenant#context#…</c>; such keys always contain '#', so the provider stores them whole in
/// <c>grain_key</c> and a prefix match finds them all.
/// </summary>
internal sealed class GrainStatePurger(NpgsqlDataSource dataSource) : IContextDataPurger
{
    public string Name => "orleans_storage";

    public async Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            DELETE FROM orleans_storage WHERE ctid IN (
                SELECT ctid FROM orleans_storage WHERE starts_with(grain_key, $1) LIMIT $2)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = $"{tenantId}#{contextId}#" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
