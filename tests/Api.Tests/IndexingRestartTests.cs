using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #8 item 3: indexing runs from the durable outbox. The server is stopped while a row is leased and its
/// embedding is under way (an upload already extracted, records still queued); a fresh server on the same database
/// finishes the work: every source ends indexed at its current version with exactly one chunk set and exactly one
/// announcement, and rows replayed afterwards (a crash between commit and the outbox delete) change nothing.
/// </summary>
public sealed class IndexingRestartTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("indexrestart");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Indexing_stopped_mid_way_completes_after_a_restart_once_per_source()
    {
        var stuck = new ObservedEmbedder { HoldEverything = true };
        TestPartner partner;
        var records = new List<Guid>();
        Guid upload;
        await using (var first = await StartAsync(stuck))
        {
            partner = await first.CreatePartnerAsync("restart");
            var db = first.Services.GetRequiredService<NpgsqlDataSource>();

            // The upload's row comes first: it is extracted, then held in embedding when the server stops.
            upload = await new DocumentSeed
            {
                Title = "Manual", Source = "FILE", IndexStatus = "UPLOADED", StoreText = false,
                FileName = "manual.txt", FileType = "text/plain", Bytes = Encoding.UTF8.GetBytes("Hold the power button for ten seconds to reset."),
            }.InsertAsync(db, partner.TestTenantId);

            using var client = first.CreateClient(partner.TestKey.RawKey);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/schemas", new
            {
                typeName = "faq", displayName = "FAQ", indexMode = "HYBRID",
                fields = new object[] { new { fieldId = "answer", fieldType = "string", searchable = true } },
            })).StatusCode);
            for (var i = 0; i < 6; i++)
            {
                var created = await client.PostAsJsonAsync("/v1/records", new { typeName = "faq", payload = new { answer = $"Answer number {i} about resets." } });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                records.Add(Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!));
            }

            // Two records change again: their outbox holds a row per version.
            foreach (var id in records.Take(2))
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { answer = $"Revised answer for {id}." } })).StatusCode);
            }

            await stuck.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(await ScalarAsync("SELECT count(*) FROM outbox WHERE lease_owner IS NOT NULL AND lease_until > now()") > 0, "a row is leased");
        }

        // Stopped mid-way: the upload's text is stored (PENDING_INDEX), nothing is indexed or announced.
        Assert.Equal("PENDING_INDEX", await TextAsync("SELECT index_status FROM documents WHERE document_id = $1", upload));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM chunks"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM events"));
        Assert.Equal(6, await ScalarAsync("SELECT count(*) FROM records WHERE index_status = 'PENDING_INDEX'"));

        await using var second = await StartAsync(new ObservedEmbedder());
        await Poll.UntilAsync(async () =>
            await ScalarAsync("SELECT count(*) FROM records WHERE index_status = 'INDEXED'") == 6
            && await ScalarAsync("SELECT count(*) FROM documents WHERE index_status = 'INDEXED' AND indexed_version = version") == 1,
            "every source indexed after the restart");
        await Poll.UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM outbox") == 0, "outbox drained");
        await AssertOneChunkSetAndOneEventPerSourceAsync();
        Assert.Equal("", await TextAsync("SELECT coalesce(body, '') FROM documents WHERE document_id = $1", upload));

        // A crash after the commit but before the outbox row is deleted replays the row: nothing changes.
        await ExecuteAsync(
            """
            INSERT INTO outbox (kind, tenant_id, context_id, payload)
            SELECT 'record.index', tenant_id, context_id, json_build_object('recordId', record_id::text, 'op', 'upsert')::jsonb FROM records
            UNION ALL
            SELECT 'document.index', tenant_id, context_id, json_build_object('documentId', document_id::text, 'op', 'upsert')::jsonb FROM documents
            """);
        await Poll.UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM outbox") == 0, "replayed rows drained");
        await AssertOneChunkSetAndOneEventPerSourceAsync();
    }

    private async Task AssertOneChunkSetAndOneEventPerSourceAsync()
    {
        // One chunk per source (short texts), built from the source's current version.
        Assert.Equal(7, await ScalarAsync("SELECT count(*) FROM chunks"));
        Assert.Equal(0, await ScalarAsync(
            """
            SELECT count(*) FROM chunks c
            LEFT JOIN records r ON c.source_kind = 'record' AND r.record_id = c.source_id
            LEFT JOIN documents d ON c.source_kind = 'document' AND d.document_id = c.source_id
            WHERE c.source_version <> coalesce(r.version, d.version)
            """));

        // Exactly one announcement per source, for its current version, and never two for one version.
        Assert.Equal(7, await ScalarAsync("SELECT count(*) FROM events WHERE type IN ('record.indexed', 'document.indexed')"));
        Assert.Equal(7, await ScalarAsync("SELECT count(DISTINCT source_id) FROM events"));
        Assert.Equal(0, await ScalarAsync(
            """
            SELECT count(*) FROM events e
            LEFT JOIN records r ON r.record_id = e.source_id
            LEFT JOIN documents d ON d.document_id = e.source_id
            WHERE (e.data->>'version')::bigint <> coalesce(r.version, d.version)
            """));
    }

    private Task<VectrosTestServer> StartAsync(ObservedEmbedder embedder) => VectrosTestServer.StartAsync(
        _db.ConnectionString,
        new Dictionary<string, string?> { ["Vectros:Outbox:LeaseTime"] = "00:00:02", ["Vectros:Outbox:Parallelism"] = "2" },
        services =>
        {
            services.AddSingleton<IEmbedder>(embedder);
            services.AddSingleton<ITextExtractor>(new PlainTextExtractor());
        });

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> TextAsync(string sql, Guid id)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return (await cmd.ExecuteScalarAsync())?.ToString() ?? "";
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
