using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>
/// <c>POST /v1/chat</c> end to end through the OpenAI-compatible provider against the streaming fake: the usage the
/// upstream reports is what is charged, a break mid-stream is an error event, and a client that disconnects closes the
/// upstream call and pays only for what was used.
/// </summary>
public sealed class OpenAiInferenceTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private FakeChatServer _fake = null!;
    private VectrosTestServer _server = null!;
    private TestPartner _partner = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("openaiinference");
        _fake = await FakeChatServer.StartAsync();
        // The fake as the default model, priced high enough that every call costs whole cents.
        var settings = _fake.ModelSettings("team-gpt", upstreamModel: "gpt-4o-mini");
        settings["Vectros:Inference:DefaultModel"] = "team-gpt";
        settings["Vectros:Inference:Models:0:ContextWindow"] = "128000";
        settings["Vectros:Inference:Models:0:InputCreditsPer1kTokens"] = "10";
        settings["Vectros:Inference:Models:0:OutputCreditsPer1kTokens"] = "100";
        settings["Vectros:Inference:Models:0:RegionPremiumFactor"] = "1";
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, settings);
        _partner = await _server.CreatePartnerAsync(nameof(OpenAiInferenceTests));
        _client = _server.CreateClient(_partner.TestKey.RawKey);
        using var op = _server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = _partner.TestTenantId, amountCents = 10_000, reference = "openai" })).StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _fake.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static JsonContent Chat(string text) => JsonContent.Create(new { messages = new[] { new { role = "user", content = text } }, maxTokens = 100 });

    [Fact]
    public async Task The_upstream_usage_is_charged_and_reported()
    {
        using var response = await _client.PostAsync("/v1/chat", Chat("What is the answer?"));
        var sse = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("done", sse.Events[^1].Type);
        var done = JsonDocument.Parse(sse.Events[^1].Data).RootElement;
        Assert.Equal(120, done.GetProperty("inputTokens").GetInt32());
        Assert.Equal(8, done.GetProperty("outputTokens").GetInt32());

        // 120 × 10/1K + 8 × 100/1K = 2.0 cents.
        Assert.Equal(2, done.GetProperty("inferenceBalanceCentsCharged").GetInt64());
        Assert.Equal(10_000 - 2, await BalanceAsync());
    }

    [Fact]
    public async Task A_client_disconnect_closes_the_upstream_call_and_charges_only_what_was_used()
    {
        _fake.StallAfterDeltas = 2;
        _fake.Usage = null;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat") { Content = Chat("Stall please") })
        using (var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            await SseParser.ReadAsync(stream, p => p.Events.Count == 2);
        }

        var upstream = Assert.Single(_fake.Requests);
        await Poll.UntilAsync(() => upstream.Disconnected, "the upstream call closed");
        await Poll.UntilAsync(async () => await BalanceAsync() < 10_000, "the call settled");

        // Two deltas ("The answer", " is") came back; no usage was reported, so they are estimated.
        await using var cmd = _server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT output_tokens FROM inference_ledger WHERE tenant_id = $1 AND kind = 'charge'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = _partner.TestTenantId });
        Assert.Equal(Vectros.Grains.Inference.TokenEstimator.Count("The answer is"), (int)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task An_upstream_break_mid_stream_is_an_error_event()
    {
        _fake.BreakAfterDeltas = 2;
        using var response = await _client.PostAsync("/v1/chat", Chat("Break please"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sse = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["content_delta", "content_delta", "error"], sse.Events.Select(e => e.Type));
    }

    private async Task<long> BalanceAsync()
    {
        await using var cmd = _server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM inference_ledger WHERE tenant_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = _partner.TestTenantId });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
