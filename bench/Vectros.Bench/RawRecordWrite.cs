using System.Text.Json.Nodes;
using Npgsql;
using Vectros.Grains.History;

namespace Vectros.Bench;

/// <summary>
/// The write baseline the API's record creates are held against: raw Npgsql writing the same rows the API writes
/// (record, its two lookup rows, its version row) in one transaction. Type <c>customer_raw</c>, so its unique email
/// lookups never meet the API's <c>customer</c> records.
/// </summary>
public static class RawRecordWrite
{
    /// <summary>Writes record number <paramref name="i"/> (email <c>raw{i}@example.com</c>) and returns its id.</summary>
    public static async Task<Guid> InsertAsync(NpgsqlDataSource dataSource, string tenant, int i)
    {
        var id = Guid.CreateVersion7();
        var payload = $$"""{"email":"raw{{i}}@example.com","name":"Raw {{i % 97}}","tier":{{i % 5}}}""";
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(Command(
            "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, created_by) VALUES ($1, 'default', $2, 'customer_raw', $3::jsonb, 'bench')",
            tenant, id, payload));
        batch.BatchCommands.Add(Command(
            "INSERT INTO record_lookups (tenant_id, context_id, type_name, field, value_key, record_id, value_text, is_unique) VALUES ($1, 'default', 'customer_raw', 'email', $2, $3, $2, true)",
            tenant, $"raw{i}@example.com", id));
        batch.BatchCommands.Add(Command(
            "INSERT INTO record_lookups (tenant_id, context_id, type_name, field, value_key, record_id, value_text, is_unique) VALUES ($1, 'default', 'customer_raw', 'name', $2, $3, $2, false)",
            tenant, $"Raw {i % 97}", id));
        // The same version row the API writes: a CREATE with the field-level diff of the new payload.
        var diff = VersionDiff.Compute(null, JsonNode.Parse(payload)!.AsObject());
        batch.BatchCommands.Add(VersionHistory.AppendCommand(new VersionEntry(
            tenant, "default", "record", id.ToString(), "CREATE", null, null, diff, "Record created", "bench", DateTimeOffset.UtcNow)));
        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        return id;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
