using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>What happens once a stream is open: a model failure, a client that leaves, a silent model.</summary>
[Collection(InferenceCollection.Name)]
public sealed class InferenceStreamingTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    private static object Chat(string model, string text) => new { messages = new[] { new { role = "user", content = text } }, model };

    [Fact]
    public async Task A_model_failure_mid_stream_ends_it_with_an_error_event_and_charges_what_was_used()
    {
        await TopUpAsync(100);
        var result = await StreamAsync("/v1/chat", Chat(ScriptedChatModels.Failing, "fail please"));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(["content_delta", "content_delta", "error"], result.Types);
        var error = result.Last("error");
        Assert.Equal("inference_error", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));

        // Two deltas went out; the charge is for them (estimated: the model never reported usage).
        var charge = Assert.Single(await ChargesAsync());
        Assert.True(charge.OutputTokens > 0);
        Assert.Equal(100 + charge.AmountCents, await BalanceAsync());
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_the_model_and_is_charged_only_for_tokens_used()
    {
        await TopUpAsync(100);
        var cancelled = Fixture.Models.Cancellations;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat") { Content = JsonContent.Create(Chat(ScriptedChatModels.Hanging, "hang on")) };
        using (var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var first = await SseParser.ReadAsync(stream, p => p.Events.Count == 1);
            Assert.Equal("content_delta", first.Events[0].Type);
        }

        // Leaving the using block aborts the connection: the upstream call sees its cancellation.
        // (The counter, not HangingCancelled: that one-shot signal is shared by every test of the fixture.)
        await Poll.UntilAsync(() => Volatile.Read(ref Fixture.Models.Cancellations) > cancelled, "the model call saw the disconnect");

        await Poll.UntilAsync(async () => (await ChargesAsync()).Count == 1, "the cancelled call settled");
        var charge = Assert.Single(await ChargesAsync());
        Assert.Equal(TokenCount("You said: "), charge.OutputTokens);
        Assert.True(charge.AmountCents < 0);
    }

    [Fact]
    public async Task A_silent_model_gets_heartbeat_comments_between_events()
    {
        await TopUpAsync(100);
        var result = await StreamAsync("/v1/chat", Chat(ScriptedChatModels.Slow, "take your time"));
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("heartbeat", result.Sse!.Comments);
        Assert.Equal("done", result.Types[^1]);
        Assert.Equal("You said: take your time", result.Text);
    }

    private static int TokenCount(string text) => Vectros.Grains.Inference.TokenEstimator.Count(text);
}
