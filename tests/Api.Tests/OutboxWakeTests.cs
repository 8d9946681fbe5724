using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A write wakes its silo's outbox worker (<c>OutboxSignal</c>): with a poll interval of an hour, the worker's only
/// way to find the work a record or document write queued is the wake, so a source that reaches INDEXED proves it.
/// </summary>
public sealed class OutboxWakeTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("outboxwake");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Outbox:PollInterval"] = "01:00:00",
        });
        var partner = await _server.CreatePartnerAsync("wake");
        _client = _server.CreateClient(partner.TestKey.RawKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Record_and_document_writes_start_their_indexing_without_waiting_for_a_poll()
    {
        (await _client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "note",
            displayName = "Note",
            indexMode = "HYBRID",
            fields = new object[] { new { fieldId = "body", fieldType = "string", searchable = true } },
        })).EnsureSuccessStatusCode();

        var record = await CreateAsync("/v1/records", new { typeName = "note", payload = new { body = "the boiler was serviced on Monday" } });
        var document = await CreateAsync("/v1/documents", new { title = "Boiler", text = "The boiler needs a new valve.", indexMode = "HYBRID" });

        await Poll.UntilAsync(async () => await IndexStatusAsync($"/v1/records/{record}") == "INDEXED", "the record indexed");
        await Poll.UntilAsync(async () => await IndexStatusAsync($"/v1/documents/{document}") == "INDEXED", "the document indexed");

        // An update queues work again, and wakes the worker again.
        (await _client.PatchAsync($"/v1/records/{record}", new StringContent(
            """{"payload":{"body":"the boiler was replaced"}}""", System.Text.Encoding.UTF8, "application/merge-patch+json"))).EnsureSuccessStatusCode();
        await Poll.UntilAsync(async () => await IndexStatusAsync($"/v1/records/{record}") == "INDEXED", "the updated record indexed");
    }

    private async Task<string> CreateAsync(string url, object body)
    {
        var response = await _client.PostAsJsonAsync(url, body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string?> IndexStatusAsync(string url) =>
        (await _client.GetFromJsonAsync<JsonElement>(url)).GetProperty("indexStatus").GetString();
}
