using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Records whose embedding fails end FAILED with <c>indexFailure {code, message}</c> once the retries are spent, and
/// the failure is announced once; the embedder never receives a sensitive value (issue #8 items 3, 4, 6).
/// </summary>
public sealed class IndexingFailureTests(IndexingServerFixture fixture) : IClassFixture<IndexingServerFixture>, IAsyncLifetime
{
    private const string SecretValue = "ultra-secret-value-5150";

    private HttpClient _client = null!;
    private string _tenant = "";

    public async Task InitializeAsync()
    {
        var partner = await fixture.Server.CreatePartnerAsync(nameof(IndexingFailureTests));
        _tenant = partner.TestTenantId;
        _client = fixture.Server.CreateClient(partner.TestKey.RawKey);
        var schema = await _client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "note",
            displayName = "Note",
            indexMode = "HYBRID",
            fields = new object[]
            {
                new { fieldId = "text", fieldType = "string", searchable = true },
                new { fieldId = "secret", fieldType = "string", sensitive = true },
            },
        });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_embedding_failure_retries_then_ends_failed_and_a_later_update_indexes()
    {
        var id = await CreateAsync($"This note {ObservedEmbedder.FailMarker} cannot be embedded.");

        var failed = await FinalAsync(id, 1);
        Assert.Equal("FAILED", failed.GetProperty("indexStatus").GetString());
        var failure = failed.GetProperty("indexFailure");
        Assert.Equal("EMBEDDING_FAILED", failure.GetProperty("code").GetString());
        Assert.Contains("HttpRequestException", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be embedded", failure.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, fixture.Embedder.Seen.Count(t => t.Contains(ObservedEmbedder.FailMarker, StringComparison.Ordinal)));

        var evt = Assert.Single(await EventsAsync(id));
        Assert.Equal("record.failed", evt["type"]!.GetValue<string>());
        Assert.Equal("EMBEDDING_FAILED", evt["data"]!["indexFailure"]!["code"]!.GetValue<string>());

        var put = await _client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { text = "Now it embeds fine." } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var indexed = await FinalAsync(id, 2);
        Assert.Equal("INDEXED", indexed.GetProperty("indexStatus").GetString());
        Assert.False(indexed.TryGetProperty("indexFailure", out _));
        Assert.Equal(["record.failed", "record.indexed"], (await EventsAsync(id)).Select(e => e["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failure_the_embedder_calls_permanent_ends_the_run_without_retrying()
    {
        var id = await CreateAsync($"This note {ObservedEmbedder.RejectMarker} is refused.");

        var failed = await FinalAsync(id, 1);
        Assert.Equal("FAILED", failed.GetProperty("indexStatus").GetString());
        Assert.Equal("EMBEDDING_FAILED", failed.GetProperty("indexFailure").GetProperty("code").GetString());
        Assert.Equal(1, fixture.Embedder.Seen.Count(t => t.Contains(ObservedEmbedder.RejectMarker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_embedder_never_sees_a_sensitive_value()
    {
        var id = await CreateAsync("A perfectly ordinary note.");
        Assert.Equal("INDEXED", (await FinalAsync(id, 1)).GetProperty("indexStatus").GetString());
        Assert.Contains(fixture.Embedder.Seen, t => t.Contains("perfectly ordinary", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Embedder.Seen, t => t.Contains(SecretValue, StringComparison.Ordinal));
    }

    private async Task<Guid> CreateAsync(string text)
    {
        var response = await _client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { text, secret = SecretValue } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    private async Task<JsonElement> FinalAsync(Guid id, long version)
    {
        JsonElement record = default;
        await Poll.UntilAsync(async () =>
        {
            record = await _client.GetFromJsonAsync<JsonElement>($"/v1/records/{id}");
            return record.GetProperty("version").GetInt64() == version && record.GetProperty("indexStatus").GetString() != "PENDING_INDEX";
        }, $"record {id} v{version} indexed");
        return record;
    }

    private async Task<List<JsonNode>> EventsAsync(Guid id)
    {
        await using var cmd = fixture.Db.CreateCommand(
            "SELECT coalesce(json_agg(json_build_object('type', type, 'data', data) ORDER BY id), '[]')::text FROM events WHERE tenant_id = $1 AND source_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = _tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return JsonNode.Parse((string)(await cmd.ExecuteScalarAsync())!)!.AsArray().Select(n => n!).ToList();
    }
}
