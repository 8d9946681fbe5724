using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary><c>POST /v1/chat</c> through real HTTP and a real SSE parser: order, payloads, billing and refusals.</summary>
[Collection(InferenceCollection.Name)]
public sealed class ChatInferenceTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    private static object Chat(string text = "Hello there", string? model = null) => new
    {
        messages = new object[] { new { role = "system", content = "Be brief." }, new { role = "user", content = text } },
        model,
    };

    [Fact]
    public async Task Chat_streams_deltas_then_done_and_charges_the_ledger()
    {
        await TopUpAsync(100);
        var result = await StreamAsync("/v1/chat", Chat());

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("text/event-stream", result.MediaType);
        Assert.True(result.NoCache);
        Assert.Equal("done", result.Types[^1]);
        Assert.All(result.Types.SkipLast(1), t => Assert.Equal("content_delta", t));
        Assert.Equal("You said: Hello there", result.Text);
        foreach (var e in result.Sse!.Events)
        {
            Assert.Equal(e.Type, Json(e).GetProperty("type").GetString());
            Assert.Equal(e.Type, Json(e).GetProperty("event").GetString());
        }

        var done = result.Last("done");
        Assert.Equal(ScriptedChatModels.Scripted, done.GetProperty("model").GetString());
        Assert.True(done.GetProperty("inputTokens").GetInt32() > 0);
        Assert.True(done.GetProperty("outputTokens").GetInt32() > 0);
        Assert.Equal(0.1, done.GetProperty("platformCreditsCharged").GetDouble());
        var cents = done.GetProperty("inferenceBalanceCentsCharged").GetInt64();
        Assert.True(cents >= 1, "a call that used tokens costs at least a cent (rounded up)");

        var charge = Assert.Single(await ChargesAsync());
        Assert.Equal(-cents, charge.AmountCents);
        Assert.Equal("chat", charge.Endpoint);
        Assert.Equal(done.GetProperty("inputTokens").GetInt32(), charge.InputTokens);
        Assert.Equal(done.GetProperty("outputTokens").GetInt32(), charge.OutputTokens);
        Assert.Equal("default", charge.ContextId);
        Assert.StartsWith("req_", charge.RequestId, StringComparison.Ordinal);
        Assert.Equal(100 - cents, await BalanceAsync());

        // The system message became the system prompt; only the user turn is a turn.
        var (_, prompt) = Fixture.Models.Prompts.Last(p => p.Prompt.Question == "Hello there");
        Assert.Equal("Be brief.", prompt.System);
        Assert.Equal("user", Assert.Single(prompt.Turns).Role);

        // And the usage meter heard of the call and its platform fee.
        Assert.Contains(Fixture.Meter.Counted, c => c.Tenant == Partner.TestTenantId && c.Increment.Metric == "inference.chat.calls" && c.Increment.Amount == 1);
        Assert.Contains(Fixture.Meter.Counted, c => c.Tenant == Partner.TestTenantId && c.Increment.Metric == "inference.platformCreditsMilli" && c.Increment.Amount == 100);
    }

    [Fact]
    public async Task A_zero_balance_is_402_INSUFFICIENT_BALANCE_before_the_model_is_called()
    {
        var calls = Fixture.Models.Calls;
        var result = await StreamAsync("/v1/chat", Chat("no money"));
        Assert.Equal(HttpStatusCode.PaymentRequired, result.Status);
        Assert.Equal("INSUFFICIENT_BALANCE", result.Error.GetProperty("errorCode").GetString());
        Assert.DoesNotContain(Fixture.Models.Prompts, p => p.Prompt.Question == "no money");
        Assert.Empty(await ChargesAsync());

        // A top-up opens the balance; the next call is served and charged.
        await TopUpAsync(100);
        var served = await StreamAsync("/v1/chat", Chat("now with money"));
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Single(await ChargesAsync());
        Assert.True(Fixture.Models.Calls > calls);
    }

    [Fact]
    public async Task A_balance_below_the_maximum_cost_is_402()
    {
        await TopUpAsync(1);

        // 8192 output tokens at 20 cents per 1K × 1.5 is far more than a cent.
        var result = await StreamAsync("/v1/chat", new { messages = new[] { new { role = "user", content = "long answer please" } }, maxTokens = 8192 });
        Assert.Equal(HttpStatusCode.PaymentRequired, result.Status);
        Assert.Equal("INSUFFICIENT_BALANCE", result.Error.GetProperty("errorCode").GetString());
        Assert.Equal(1, await BalanceAsync());
    }

    [Fact]
    public async Task An_exhausted_allowance_is_402_SUBSCRIPTION_LIMIT_EXCEEDED_and_charges_nothing()
    {
        await TopUpAsync(100);
        Fixture.Meter.Refused[Partner.TestTenantId] = true;
        try
        {
            var result = await StreamAsync("/v1/chat", Chat("over the limit"));
            Assert.Equal(HttpStatusCode.PaymentRequired, result.Status);
            Assert.Equal("SUBSCRIPTION_LIMIT_EXCEEDED", result.Error.GetProperty("errorCode").GetString());
            Assert.DoesNotContain(Fixture.Models.Prompts, p => p.Prompt.Question == "over the limit");
            Assert.Empty(await ChargesAsync());
            Assert.Equal(100, await BalanceAsync());
        }
        finally
        {
            Fixture.Meter.Refused.TryRemove(Partner.TestTenantId, out _);
        }
    }

    /// <summary>An <c>ssk_</c> key of a new user whose profile in the default context allows only <paramref name="action"/>.</summary>
    private async Task<string> ScopedKeyAsync(string action)
    {
        var userId = await ScopedCredentials.CreateUserAsync(Client);
        var profile = await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = $"usr_{userId}", scopes = new[] { new { allowed_actions = new[] { action } } } });
        Assert.Equal(HttpStatusCode.Created, profile.StatusCode);
        var key = await Client.PostAsJsonAsync("/v1/admin/keys/scoped", new { keyName = $"inference-{action}", tenantId = Partner.TestTenantId, contextId = "default", userId });
        var body = await key.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(key.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("rawKey").GetString()!;
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"messages":[]}""", "messages" },
        { """{}""", "messages" },
        { """{"messages":[{"role":"tool","content":"x"}]}""", "messages[0].role" },
        { """{"messages":[{"role":"user","content":""}]}""", "messages[0].content" },
        { """{"messages":[{"role":"user","content":"x"}],"model":"no-such-model"}""", "model" },
        { """{"messages":[{"role":"user","content":"x"}],"maxTokens":8193}""", "maxTokens" },
        { """{"messages":[{"role":"user","content":"x"}],"maxTokens":0}""", "maxTokens" },
        { """{"messages":[{"role":"user","content":"x"}],"temperature":1.5}""", "temperature" },
        { """{"messages":[{"role":"user","content":"x"}],"topP":0}""", "topP" },
        { """{"messages":[{"role":"user","content":"x"}],"stream":true}""", "stream" },
        { """{"messages":[{"role":"assistant","content":"x"}]}""", "messages" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_400_naming_the_field_and_charges_nothing(string json, string field)
    {
        await TopUpAsync(100);
        var response = await Client.PostAsync("/v1/chat", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains(field, body, StringComparison.Ordinal);
        Assert.Empty(await ChargesAsync());
    }

    [Fact]
    public async Task Global_region_without_a_waiver_is_403_and_an_oversized_conversation_is_413()
    {
        await TopUpAsync(100);
        var global = await StreamAsync("/v1/chat", new { messages = new[] { new { role = "user", content = "x" } }, allowGlobalRegion = true });
        Assert.Equal(HttpStatusCode.Forbidden, global.Status);

        // The scripted models have a 16K-token window: 80K characters are ~20K tokens.
        var huge = await StreamAsync("/v1/chat", new { messages = new[] { new { role = "user", content = new string('a', 80_000) } } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);
        Assert.Empty(await ChargesAsync());
    }

    [Fact]
    public async Task A_credential_without_inference_r_is_403()
    {
        await TopUpAsync(100);
        using var without = Server.CreateClient(await ScopedKeyAsync("logs:r"));
        Assert.Equal(HttpStatusCode.Forbidden, (await StreamAsync("/v1/chat", Chat(), without)).Status);

        using var with = Server.CreateClient(await ScopedKeyAsync("inference:r"));
        Assert.Equal(HttpStatusCode.OK, (await StreamAsync("/v1/chat", Chat(), with)).Status);
    }
}
