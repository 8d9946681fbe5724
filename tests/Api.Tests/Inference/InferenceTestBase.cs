using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>A fresh partner on the inference server per test class, with helpers to top up, stream and read the ledger.</summary>
public abstract class InferenceTestBase(InferenceServerFixture fixture) : IAsyncLifetime
{
    protected InferenceServerFixture Fixture { get; } = fixture;

    protected VectrosTestServer Server => Fixture.Server;

    protected TestPartner Partner { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    protected HttpClient Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Partner = await Server.CreatePartnerAsync(GetType().Name);
        Client = Server.CreateClient(Partner.TestKey.RawKey);
        Operator = Server.CreateClient(VectrosTestServer.OperatorToken);
    }

    public Task DisposeAsync()
    {
        Client.Dispose();
        Operator.Dispose();
        return Task.CompletedTask;
    }

    protected async Task<JsonElement> TopUpAsync(long cents, string? tenantId = null, string? reference = null)
    {
        var response = await Operator.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = tenantId ?? Partner.TestTenantId, amountCents = cents, reference = reference ?? Guid.NewGuid().ToString() });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }

    /// <summary>POSTs <paramref name="body"/> and reads the whole SSE stream (or the error body).</summary>
    protected async Task<StreamResult> StreamAsync(string path, object body, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        using var response = await (client ?? Client).SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new StreamResult(response.StatusCode, null, await response.Content.ReadFromJsonAsync<JsonElement>(), response.Content.Headers.ContentType?.MediaType, null);
        }

        var parser = await SseParser.ReadAsync(await response.Content.ReadAsStreamAsync());
        return new StreamResult(response.StatusCode, parser, default, response.Content.Headers.ContentType?.MediaType, response.Headers.CacheControl?.NoCache);
    }

    protected async Task<long> BalanceAsync(string? tenantId = null) =>
        (long)(await ScalarAsync("SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM inference_ledger WHERE tenant_id = $1", tenantId ?? Partner.TestTenantId))!;

    protected async Task<List<LedgerRow>> ChargesAsync(string? tenantId = null)
    {
        await using var cmd = Fixture.Db.CreateCommand(
            "SELECT amount_cents, model, endpoint, input_tokens, output_tokens, context_id, request_id FROM inference_ledger WHERE tenant_id = $1 AND kind = 'charge' ORDER BY created_at");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId ?? Partner.TestTenantId });
        var rows = new List<LedgerRow>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new LedgerRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    protected async Task<object?> ScalarAsync(string sql, params object[] values)
    {
        await using var cmd = Fixture.Db.CreateCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Ingests a text document and waits until it is INDEXED; returns its id.</summary>
    protected async Task<string> IndexedDocumentAsync(string title, string text)
    {
        var response = await Client.PostAsJsonAsync("/v1/documents", new { title, text, indexMode = "HYBRID" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        var id = body.GetProperty("id").GetString()!;
        await Poll.UntilAsync(async () =>
            (await Client.GetFromJsonAsync<JsonElement>($"/v1/documents/{id}")).GetProperty("indexStatus").GetString() == "INDEXED",
            $"document {id} indexed");
        return id;
    }

    protected static JsonElement Json(SseEvent e) => JsonDocument.Parse(e.Data).RootElement;
}

public sealed record StreamResult(HttpStatusCode Status, SseParser? Sse, JsonElement Error, string? MediaType, bool? NoCache)
{
    public IReadOnlyList<string> Types => Sse?.Events.Select(e => e.Type).ToList() ?? [];

    public string Text => string.Concat(Sse!.Events.Where(e => e.Type == "content_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetString()));

    public JsonElement Last(string type) => JsonDocument.Parse(Sse!.Events.Last(e => e.Type == type).Data).RootElement;
}

public sealed record LedgerRow(long AmountCents, string Model, string Endpoint, int InputTokens, int OutputTokens, string ContextId, string? RequestId);
