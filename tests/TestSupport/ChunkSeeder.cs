using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Vectros.Grains.Indexing;

namespace Vectros.TestSupport;

/// <summary>
/// One row of the search index as the indexing pipeline writes it (migration 0006 <c>chunks</c>). Tests that judge
/// search alone seed these directly; the end-to-end tests go through the documents and records routes instead.
/// </summary>
public sealed record ChunkSeed(string Text)
{
    public string SourceKind { get; init; } = "document";

    public Guid SourceId { get; init; } = Guid.CreateVersion7();

    public int Ordinal { get; init; }

    public string? Title { get; init; }

    public string? TypeName { get; init; }

    public string? ExternalId { get; init; }

    public Guid? FolderId { get; init; }

    /// <summary>The folder and its ancestors; defaults to just <see cref="FolderId"/>.</summary>
    public Guid[]? FolderPath { get; init; }

    public Guid? UserId { get; init; }

    public string[] Scopes { get; init; } = [];

    /// <summary>The flat filter object (<c>{"field": scalar | [scalars]}</c>).</summary>
    public object? Filter { get; init; }

    public object? Metadata { get; init; }

    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>HYBRID, TEXT (no embedding) or SEMANTIC (no tsvector).</summary>
    public string IndexMode { get; init; } = "HYBRID";

    public string ContextId { get; init; } = "default";

    /// <summary>Null: the test class's partner's test tenant.</summary>
    public string? TenantId { get; init; }

    public string? ContextText { get; init; }
}

/// <summary>Writes <see cref="ChunkSeed"/>s with vectors from the server's own <see cref="IEmbedder"/>.</summary>
public static class ChunkSeeder
{
    public static async Task SeedAsync(NpgsqlDataSource db, IEmbedder embedder, string tenantId, IReadOnlyList<ChunkSeed> seeds)
    {
        var vectors = await embedder.EmbedAsync([.. seeds.Select(s => s.Title is null ? s.Text : $"{s.Title}\n{s.Text}")], CancellationToken.None);
        await using var batch = db.CreateBatch();
        for (var i = 0; i < seeds.Count; i++)
        {
            var s = seeds[i];
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO chunks (tenant_id, context_id, source_kind, source_id, ordinal, source_version, index_mode, type_name,
                    title, external_id, folder_id, folder_path, user_id, scopes, filter, metadata, source_created, chunk_text,
                    context_text, embedding)
                VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16, $17, $18, $19)
                """);
            object?[] values =
            [
                s.TenantId ?? tenantId, s.ContextId, s.SourceKind, s.SourceId, s.Ordinal, s.IndexMode, s.TypeName, s.Title,
                s.ExternalId, s.FolderId, s.FolderPath ?? (s.FolderId is { } f ? [f] : []), s.UserId, s.Scopes,
                JsonSerializer.Serialize(s.Filter ?? new { }), JsonSerializer.Serialize(s.Metadata ?? new { }), s.Created, s.Text,
                s.ContextText ?? s.Text, s.IndexMode == "TEXT" ? null : new Vector(vectors[i]),
            ];
            foreach (var value in values)
            {
                command.Parameters.Add(value switch
                {
                    null => new NpgsqlParameter { Value = DBNull.Value },
                    Guid[] ids => new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid },
                    _ => new NpgsqlParameter { Value = value },
                });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync();
    }
}
