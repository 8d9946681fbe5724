using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A server of its own for indexing tests that need test doubles (an observed embedder, a test extractor) and few
/// attempts before FAILED, so failures show in seconds. Its database is dropped with it.
/// </summary>
public sealed class IndexingServerFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public ObservedEmbedder Embedder { get; } = new();

    public PlainTextExtractor Extractor { get; } = new();

    public NpgsqlDataSource Db => Server.Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("indexing");
        Server = await VectrosTestServer.StartAsync(
            _db.ConnectionString,
            // Two rows at once: the handlers' guards, not the worker's order, keep each version indexed once.
            new Dictionary<string, string?> { ["Vectros:Indexing:MaxAttempts"] = "2", ["Vectros:Outbox:Parallelism"] = "2" },
            services =>
            {
                services.AddSingleton<IEmbedder>(Embedder);
                services.AddSingleton<ITextExtractor>(Extractor);
            });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Writes a document as the document grain would (row and <c>document.index</c> outbox row in one transaction, the
/// file's bytes in the blob store), for pipeline tests that do not depend on the documents API.
/// </summary>
public sealed record DocumentSeed
{
    public required string Title { get; init; }

    public string Source { get; init; } = "TEXT";

    public string IndexStatus { get; init; } = "PENDING_INDEX";

    public string IndexMode { get; init; } = "HYBRID";

    public string Status { get; init; } = "ACTIVE";

    public string? Body { get; init; }

    public bool StoreText { get; init; } = true;

    public string? FileName { get; init; }

    public string? FileType { get; init; }

    public byte[]? Bytes { get; init; }

    public string Payload { get; init; } = "{}";

    public string? ExternalId { get; init; }

    public async Task<Guid> InsertAsync(NpgsqlDataSource db, string tenantId, string contextId = "default")
    {
        var id = Guid.CreateVersion7();
        var blobKey = Bytes is null ? null : $"documents/{id}";
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        if (Bytes is not null)
        {
            await ExecuteAsync(conn, tx,
                "INSERT INTO blobs (tenant_id, context_id, blob_key, content, size_bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6)",
                tenantId, contextId, blobKey!, Bytes, (long)Bytes.Length, SHA256.HashData(Bytes));
        }

        await ExecuteAsync(conn, tx,
            """
            INSERT INTO documents (tenant_id, context_id, document_id, title, payload, status, index_mode, index_status, source, body,
                text_bytes, store_text, file_name, file_type, file_size, blob_key, external_id, created_by)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'test')
            """,
            tenantId, contextId, id, Title, Payload, Status, IndexMode, IndexStatus, Source, (object?)Body ?? DBNull.Value,
            (long)System.Text.Encoding.UTF8.GetByteCount(Body ?? ""), StoreText, (object?)FileName ?? DBNull.Value, (object?)FileType ?? DBNull.Value,
            Bytes is null ? DBNull.Value : (long)Bytes.Length, (object?)blobKey ?? DBNull.Value, (object?)ExternalId ?? DBNull.Value);
        await ExecuteAsync(conn, tx,
            "INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('document.index', $1, $2, $3::jsonb)",
            tenantId, contextId, new JsonObject { ["documentId"] = id.ToString(), ["op"] = "upsert" }.ToJsonString());
        await tx.CommitAsync();
        return id;
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }
}
