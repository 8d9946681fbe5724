using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Blobs;

/// <summary>
/// The streamed side of <see cref="PostgresBlobStore"/>: a blob written through <see cref="IBlobStore.OpenWriteAsync"/>
/// is a run of <c>blob_parts</c> rows of <see cref="PartSize"/> bytes (the last one shorter), so neither the writer
/// nor a reader ever holds more than one part.
/// </summary>
internal sealed class PostgresBlobParts(NpgsqlDataSource dataSource, string tenantId, string contextId, string key)
{
    public const int PartSize = 1 << 20;

    /// <summary>Whether any part exists (else the key is a whole-buffer blob, or nothing).</summary>
    public async Task<bool> ExistAsync(CancellationToken ct)
    {
        await using var cmd = Command("SELECT EXISTS (SELECT 1 FROM blob_parts WHERE tenant_id = $1 AND context_id = $2 AND blob_key = $3)");
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Removes every part and any whole-buffer blob of the key in one transaction.</summary>
    public async Task DeleteAsync(CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var table in new[] { "blob_parts", "blobs" })
        {
            var command = new NpgsqlBatchCommand($"DELETE FROM {table} WHERE tenant_id = $1 AND context_id = $2 AND blob_key = $3");
            command.Parameters.Add(Text(tenantId));
            command.Parameters.Add(Text(contextId));
            command.Parameters.Add(Text(key));
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task InsertAsync(int partNo, long offset, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        await using var cmd = Command(
            "INSERT INTO blob_parts (tenant_id, context_id, blob_key, part_no, offset_bytes, content) VALUES ($1, $2, $3, $4, $5, $6)");
        cmd.Parameters.Add(Int(partNo));
        cmd.Parameters.Add(Long(offset));
        cmd.Parameters.Add(Of(content, NpgsqlDbType.Bytea));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first part after <paramref name="afterPart"/> that ends past <paramref name="offset"/>, or null at the end.</summary>
    public async Task<(int PartNo, long Offset, byte[] Content)?> NextAsync(int afterPart, long offset, CancellationToken ct)
    {
        await using var cmd = Command(
            """
            SELECT part_no, offset_bytes, content FROM blob_parts
            WHERE tenant_id = $1 AND context_id = $2 AND blob_key = $3 AND part_no > $4 AND offset_bytes + length(content) > $5
            ORDER BY part_no LIMIT 1
            """);
        cmd.Parameters.Add(Int(afterPart));
        cmd.Parameters.Add(Long(offset));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt32(0), reader.GetInt64(1), (byte[])reader.GetValue(2)) : null;
    }

    private NpgsqlCommand Command(string sql)
    {
        var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(key));
        return cmd;
    }
}
