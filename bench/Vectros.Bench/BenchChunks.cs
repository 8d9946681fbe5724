using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace Vectros.Bench;

/// <summary>One chunk to load: its tenant (context <c>default</c>), text (also its context text), vector and source kind.</summary>
internal sealed record BenchChunk(string TenantId, string Text, float[] Vector, string SourceKind = "document");

/// <summary>
/// Loads benchmark chunks straight into <c>chunks</c>: COPY with the vector and text indexes dropped, then both rebuilt
/// with the migration's own definitions (0006), far faster than row-by-row index inserts.
/// </summary>
internal static class BenchChunks
{
    public static async Task CopyAsync(NpgsqlDataSource dataSource, IEnumerable<BenchChunk> chunks)
    {
        await ExecuteAsync(dataSource, "DROP INDEX chunks_embedding; DROP INDEX chunks_tsv;");
        await using (var conn = await dataSource.OpenConnectionAsync())
        {
            await using var copy = await conn.BeginBinaryImportAsync(
                "COPY chunks (tenant_id, context_id, source_kind, source_id, ordinal, source_version, index_mode, filter, metadata, " +
                "source_created, chunk_text, context_text, embedding) FROM STDIN (FORMAT BINARY)");
            var created = DateTimeOffset.UtcNow.AddDays(-1);
            foreach (var chunk in chunks)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(chunk.TenantId, NpgsqlDbType.Text);
                await copy.WriteAsync("default", NpgsqlDbType.Text);
                await copy.WriteAsync(chunk.SourceKind, NpgsqlDbType.Text);
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(0, NpgsqlDbType.Integer);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync("HYBRID", NpgsqlDbType.Text);
                await copy.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await copy.WriteAsync("{}", NpgsqlDbType.Jsonb);
                await copy.WriteAsync(created, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(chunk.Text, NpgsqlDbType.Text);
                await copy.WriteAsync(chunk.Text, NpgsqlDbType.Text);
                await copy.WriteAsync(new Vector(chunk.Vector));
            }

            await copy.CompleteAsync();
        }

        await ExecuteAsync(dataSource,
            """
            SET maintenance_work_mem = '1GB';
            CREATE INDEX chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
            CREATE INDEX chunks_tsv ON chunks USING gin (tsv);
            ANALYZE chunks;
            """);
    }

    public static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }
}
