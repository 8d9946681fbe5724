using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// End to end (issue #11 item 3): records and documents written through the API, indexed by the real pipeline, reach
/// the registration as signed envelopes whose data carries <c>scopes</c>, and <c>*.failed</c> carries <c>indexFailure</c>.
/// </summary>
public sealed class WebhookIndexingEventTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>, IAsyncLifetime
{
    private TestPartner _partner = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _partner = await fixture.Server.CreatePartnerAsync(nameof(WebhookIndexingEventTests));
        _client = fixture.Server.CreateClient(_partner.TestKey.RawKey);
        var schema = await _client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "note", displayName = "Note", indexMode = "HYBRID",
            fields = new[] { new { fieldId = "text", fieldType = "string", searchable = true } },
        });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Indexed_records_and_documents_are_delivered_with_their_scopes()
    {
        var created = await fixture.RegisterAsync(_partner.PartnerId, "test", "/e2e", ["record.indexed", "document.indexed"]);
        var secret = created.GetProperty("secret").GetString()!;

        var record = await _client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { text = "Webhooks carry scopes." }, scopes = new[] { "team:blue" } });
        Assert.Equal(HttpStatusCode.Created, record.StatusCode);
        var recordId = (await record.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var document = await _client.PostAsJsonAsync("/v1/documents", new { title = "Memo", text = "A memo about webhooks.", indexMode = "TEXT", scopes = new[] { "team:red" } });
        Assert.Equal(HttpStatusCode.Created, document.StatusCode);
        var documentId = (await document.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var received = await fixture.WaitOnAsync("/e2e", 2);
        Assert.All(received, r => Assert.True(WebhookSignatures.HmacMatches(r, secret)));
        var envelopes = received.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        var recordEvent = Assert.Single(envelopes, e => e.GetProperty("type").GetString() == "record.indexed");
        Assert.Equal(recordId, recordEvent.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(["team:blue"], recordEvent.GetProperty("data").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var documentEvent = Assert.Single(envelopes, e => e.GetProperty("type").GetString() == "document.indexed");
        Assert.Equal(documentId, documentEvent.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(["team:red"], documentEvent.GetProperty("data").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.All(envelopes, e => Assert.Equal(_partner.TestTenantId, e.GetProperty("tenantId").GetString()));
    }

    [Fact]
    public async Task A_failed_record_is_delivered_with_its_index_failure()
    {
        await fixture.RegisterAsync(_partner.PartnerId, "test", "/e2e-failed", ["record.failed"]);
        var record = await _client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { text = $"This {ObservedEmbedder.FailMarker} will not embed." }, scopes = new[] { "team:blue" } });
        Assert.Equal(HttpStatusCode.Created, record.StatusCode);

        var received = Assert.Single(await fixture.WaitOnAsync("/e2e-failed", 1));
        var envelope = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("record.failed", envelope.GetProperty("type").GetString());
        Assert.Equal("EMBEDDING_FAILED", envelope.GetProperty("data").GetProperty("indexFailure").GetProperty("code").GetString());
        Assert.Equal(["team:blue"], envelope.GetProperty("data").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }
}
