using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vectros.Grains.Inference;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Grains.Tests.Inference;

/// <summary>The OpenAI-compatible chat model against the in-process streaming fake (issue #10 item 1).</summary>
public sealed class OpenAiCompatibleChatModelTests : IAsyncLifetime
{
    private const string ApiKey = "sk-chat-test-0123456789SECRET";

    // A bound for awaiting what must happen; a test that reaches it has failed, it is not a timing assertion.
    private static readonly TimeSpan Eventually = TimeSpan.FromSeconds(30);

    private readonly CapturedLogs _logs = new();
    private FakeChatServer _server = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeChatServer.StartAsync();
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .AddOpenAiChatHttpClient()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Deltas_arrive_in_order_and_end_with_the_upstream_usage()
    {
        var chunks = await CollectAsync(Model(), Prompt());

        Assert.Equal(_server.Deltas, chunks.SkipLast(1).Select(c => c.Delta));
        Assert.All(chunks.SkipLast(1), c => Assert.Null(c.Usage));
        Assert.Equal(_server.Answer, string.Concat(chunks.Select(c => c.Delta)));
        var last = chunks[^1];
        Assert.Null(last.Delta);
        Assert.Equal(new ChatModelUsage(120, 8), last.Usage);
    }

    [Fact]
    public async Task The_request_names_the_upstream_model_and_carries_the_prompt_as_messages()
    {
        await CollectAsync(Model(), Prompt() with { TopP = 0.5 });

        var json = Assert.Single(_server.Requests).Json;
        Assert.Equal("upstream-model-7b", json.GetProperty("model").GetString());
        Assert.True(json.GetProperty("stream").GetBoolean());
        Assert.True(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(256, json.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.7, json.GetProperty("temperature").GetDouble());
        Assert.False(json.TryGetProperty("top_p", out _)); // ignored above temperature 0 (spec)
        var messages = json.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString()))
            .ToList();
        Assert.Equal(
            [("system", "Answer briefly."), ("user", "Hi"), ("assistant", "Hello."), ("user", "What is the answer?")],
            messages);
    }

    [Fact]
    public async Task Top_p_is_sent_at_temperature_zero()
    {
        await CollectAsync(Model(), Prompt() with { Temperature = 0, TopP = 0.5 });

        Assert.Equal(0.5, Assert.Single(_server.Requests).Json.GetProperty("top_p").GetDouble());
    }

    [Fact]
    public async Task Without_upstream_usage_the_tokens_are_estimated_from_the_prompt_and_the_answer()
    {
        _server.Usage = null;
        var prompt = Prompt();

        var chunks = await CollectAsync(Model(), prompt);

        var expectedInput = TokenEstimator.Count(prompt.System) + prompt.Turns.Sum(t => TokenEstimator.Count(t.Content));
        Assert.Equal(new ChatModelUsage(expectedInput, TokenEstimator.Count(_server.Answer)), chunks[^1].Usage);
    }

    [Fact]
    public async Task Failures_before_the_first_token_are_retried()
    {
        _server.FailFirst(2, status: 500);

        var chunks = await CollectAsync(Model(), Prompt());

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(_server.Answer, string.Concat(chunks.Select(c => c.Delta)));
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        _server.FailFirst(1, status: 429, retryAfter: "1");

        var chunks = await CollectAsync(Model(), Prompt());

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Answer, string.Concat(chunks.Select(c => c.Delta)));
    }

    [Fact]
    public async Task When_every_retry_fails_the_call_fails_naming_the_status_without_the_key()
    {
        _server.FailFirst(10, status: 503, message: $"overloaded, your key {ApiKey}");

        var failure = await Assert.ThrowsAsync<ChatModelException>(() => CollectAsync(Model(maxRetries: 2), Prompt()));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Contains("503", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_such_as_401_is_not_retried()
    {
        _server.FailFirst(1, status: 401, message: "bad key");

        var failure = await Assert.ThrowsAsync<ChatModelException>(() => CollectAsync(Model(), Prompt()));

        Assert.Single(_server.Requests);
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_failure_is_retried_then_reported()
    {
        var model = Model(maxRetries: 1, baseUrl: $"http://127.0.0.1:{ClosedPort()}/v1");

        var failure = await Assert.ThrowsAsync<ChatModelException>(() => CollectAsync(model, Prompt()));

        Assert.Contains("failed 2 time(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("connection failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_after_the_first_token_surfaces_and_is_not_retried()
    {
        _server.BreakAfterDeltas = 2;
        var received = new List<string?>();

        await Assert.ThrowsAsync<ChatModelException>(async () =>
        {
            await foreach (var chunk in Model().StreamAsync(Prompt(), CancellationToken.None))
            {
                received.Add(chunk.Delta);
            }
        });

        Assert.Equal(_server.Deltas.Take(2), received);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task No_first_token_within_the_time_out_is_an_error_and_the_upstream_call_is_dropped()
    {
        _server.StallBeforeFirstToken = true;

        var failure = await Assert.ThrowsAsync<ChatModelException>(() => CollectAsync(Model(firstToken: TimeSpan.FromMilliseconds(300)), Prompt()));

        Assert.Contains("no token within", failure.Message, StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        await request.WhenDisconnected.WaitAsync(Eventually);
    }

    [Fact]
    public async Task No_response_headers_within_the_connect_time_out_is_retried_then_reported()
    {
        _server.StallBeforeHeaders = true;

        var failure = await Assert.ThrowsAsync<ChatModelException>(
            () => CollectAsync(Model(maxRetries: 1, connect: TimeSpan.FromMilliseconds(300)), Prompt()));

        Assert.Contains("failed 2 time(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("no response within", failure.Message, StringComparison.Ordinal);
        // The second attempt may give up before the fake has even recorded it: wait for the record, not for a time.
        await Poll.UntilAsync(() => _server.Requests.Count == 2, "the retried request reaches the fake");
    }

    [Fact]
    public async Task Silence_mid_answer_past_the_idle_time_out_is_an_error()
    {
        _server.StallAfterDeltas = 1;
        var received = new List<string?>();

        var failure = await Assert.ThrowsAsync<ChatModelException>(async () =>
        {
            await foreach (var chunk in Model(idle: TimeSpan.FromMilliseconds(300)).StreamAsync(Prompt(), CancellationToken.None))
            {
                received.Add(chunk.Delta);
            }
        });

        Assert.Contains("fell silent", failure.Message, StringComparison.Ordinal);
        Assert.Equal(_server.Deltas.Take(1), received);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Cancelling_mid_answer_closes_the_upstream_connection()
    {
        _server.StallAfterDeltas = 2;
        using var cancel = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in Model().StreamAsync(Prompt(), cancel.Token))
            {
                if (++received == 2)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        var request = Assert.Single(_server.Requests);
        await request.WhenDisconnected.WaitAsync(Eventually);
        Assert.False(request.Completed);
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_closes_the_upstream_connection()
    {
        _server.Deltas = [.. Enumerable.Range(0, 200).Select(i => $" word{i}")];

        await foreach (var chunk in Model().StreamAsync(Prompt(), CancellationToken.None))
        {
            break; // the SSE client went away without a cancellation reaching us: disposal alone must close the call
        }

        var request = Assert.Single(_server.Requests);
        await request.WhenDisconnected.WaitAsync(Eventually);
        Assert.False(request.Completed);
    }

    [Fact]
    public async Task The_key_is_sent_as_a_bearer_token_and_never_logged()
    {
        _server.FailFirst(1, status: 500, message: $"Incorrect API key provided: {ApiKey}");
        var model = Model();

        await CollectAsync(model, Prompt());

        Assert.All(_server.Requests, r => Assert.Equal($"Bearer {ApiKey}", r.Authorization));
        Assert.NotEmpty(_logs.Lines); // the retry was logged...
        Assert.All(_logs.Lines, line => Assert.DoesNotContain(ApiKey, line, StringComparison.Ordinal)); // ...without the key
        Assert.Contains(_logs.Lines, line => line.Contains("Incorrect API key provided: ***", StringComparison.Ordinal));
        Assert.DoesNotContain(ApiKey, Settings().ToString(), StringComparison.Ordinal);
    }

    private OpenAiCompatibleChatModel Model(
        int maxRetries = 3, string? baseUrl = null, TimeSpan? connect = null, TimeSpan? firstToken = null, TimeSpan? idle = null) =>
        new(
            Settings(baseUrl) with
            {
                MaxRetries = maxRetries,
                ConnectTimeout = connect ?? TimeSpan.FromSeconds(10),
                FirstTokenTimeout = firstToken ?? TimeSpan.FromSeconds(10),
                IdleTimeout = idle ?? TimeSpan.FromSeconds(10),
            },
            _services.GetRequiredService<IHttpClientFactory>(),
            TimeProvider.System,
            _services.GetRequiredService<ILogger<OpenAiCompatibleChatModel>>());

    private OpenAiChatSettings Settings(string? baseUrl = null) => new()
    {
        ModelId = "team-model",
        BaseUrl = new Uri(baseUrl ?? _server.BaseUrl),
        ApiKey = ApiKey,
        // The fake is on loopback: the operator's opt-out of the anti-SSRF guard.
        AllowPrivateNetwork = true,
        UpstreamModel = "upstream-model-7b",
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
    };

    private static ChatModelPrompt Prompt() => new()
    {
        System = "Answer briefly.",
        Turns = [new("user", "Hi"), new("assistant", "Hello."), new("user", "What is the answer?")],
        Question = "What is the answer?",
        MaxTokens = 256,
        Temperature = 0.7,
    };

    private static async Task<List<ChatModelChunk>> CollectAsync(IChatModel model, ChatModelPrompt prompt)
    {
        var chunks = new List<ChatModelChunk>();
        await foreach (var chunk in model.StreamAsync(prompt, CancellationToken.None))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
