using Npgsql;

namespace Vectros.Grains.Storage;

/// <summary>
/// Runs a write's statements as one <see cref="NpgsqlBatch"/>: one round trip and one implicit transaction, so a
/// <c>vectros_require</c> guard failing anywhere rolls back the whole write. Callers map the <see cref="PostgresException"/>
/// SQL states of their guards onto the grain exception family.
/// </summary>
internal static class SqlBatch
{
    /// <param name="prepare">For hot write paths: a no-op on a pooled connection that has already prepared these texts.</param>
    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, IEnumerable<NpgsqlBatchCommand> commands, bool prepare = false)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(conn);
        foreach (var cmd in commands)
        {
            batch.BatchCommands.Add(cmd);
        }

        if (prepare)
        {
            await batch.PrepareAsync();
        }

        await batch.ExecuteNonQueryAsync();
    }
}
