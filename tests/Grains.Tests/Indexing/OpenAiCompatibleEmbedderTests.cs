using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Indexing;
using Xunit;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>The OpenAI-compatible embedder against an in-process fake of <c>POST /v1/embeddings</c> (issue #8 item 4).</summary>
public sealed class OpenAiCompatibleEmbedderTests : IAsyncLifetime
{
    private const string ApiKey = "sk-test-0123456789abcdefSECRET";

    private FakeEmbeddingServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeEmbeddingServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Texts_are_sent_in_batches_of_BatchSize_and_come_back_in_order()
    {
        await using var services = Services(batchSize: 4);
        var texts = Enumerable.Range(0, 10).Select(i => $"text number {i}").ToArray();

        var vectors = await Embedder(services).EmbedAsync(texts, CancellationToken.None);

        Assert.Equal([4, 4, 2], _server.Requests.Select(r => r.Input.Length));
        Assert.Equal(texts, _server.Requests.SelectMany(r => r.Input));
        Assert.All(_server.Requests, r => Assert.Equal(("text-embedding-3-small", 384), (r.Model, r.Dimensions)));
        AssertVectorsFor(texts, vectors);
    }

    [Fact]
    public async Task Results_answered_out_of_order_are_put_back_in_input_order_by_index()
    {
        _server.Reverse = true;
        await using var services = Services();
        var texts = new[] { "alpha", "beta", "gamma", "delta" };

        AssertVectorsFor(texts, await Embedder(services).EmbedAsync(texts, CancellationToken.None));
    }

    [Fact]
    public async Task A_429_is_retried_after_the_servers_Retry_After()
    {
        _server.ThenStatus(429, headers: r => r.Headers.RetryAfter = "1");
        await using var services = Services();
        var started = Stopwatch.GetTimestamp();

        var vectors = await Embedder(services).EmbedAsync(["rate limited"], CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(900), "Retry-After: 1 was not honoured");
        Assert.Equal(2, _server.Requests.Count);
        AssertVectorsFor(["rate limited"], vectors);
    }

    [Fact]
    public async Task A_500_is_retried()
    {
        _server.ThenStatus(500);
        await using var services = Services();

        var vectors = await Embedder(services).EmbedAsync(["server error"], CancellationToken.None);

        Assert.Equal(2, _server.Requests.Count);
        AssertVectorsFor(["server error"], vectors);
    }

    [Fact]
    public async Task A_request_that_outlives_the_timeout_is_abandoned_and_retried()
    {
        _server.Then(async (context, request) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            await _server.AnswerAsync(context, request);
        });
        await using var services = Services(extra: new() { ["Vectros:Embeddings:Timeout"] = "00:00:00.500" });
        var started = Stopwatch.GetTimestamp();

        var vectors = await Embedder(services).EmbedAsync(["slow"], CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(5));
        Assert.Equal(2, _server.Requests.Count);
        AssertVectorsFor(["slow"], vectors);
    }

    [Fact]
    public async Task When_every_retry_fails_the_batch_fails_as_transient_without_the_key()
    {
        for (var i = 0; i < 10; i++)
        {
            _server.ThenStatus(503, body: $"{{\"error\":\"overloaded, your key {ApiKey}\"}}");
        }

        await using var services = Services(extra: new() { ["Vectros:Embeddings:MaxRetries"] = "2" });

        var failure = await Assert.ThrowsAsync<EmbeddingException>(() => Embedder(services).EmbedAsync(["never"], CancellationToken.None));

        Assert.Equal(3, _server.Requests.Count);
        Assert.True(failure.Transient);
        Assert.Contains("503", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_failure_is_retried_then_reported()
    {
        await using var services = Services(baseUrl: $"http://127.0.0.1:{ClosedPort()}/v1", extra: new() { ["Vectros:Embeddings:MaxRetries"] = "1" });

        var failure = await Assert.ThrowsAsync<EmbeddingException>(() => Embedder(services).EmbedAsync(["nobody home"], CancellationToken.None));

        Assert.True(failure.Transient);
        Assert.Contains("failed 2 time(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("connection failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vector_of_the_wrong_width_fails_the_batch_at_once()
    {
        _server.Dimensions = 1536;
        await using var services = Services();

        var failure = await Assert.ThrowsAsync<EmbeddingException>(() => Embedder(services).EmbedAsync(["too wide"], CancellationToken.None));

        Assert.False(failure.Transient);
        Assert.Contains("1536", failure.Message, StringComparison.Ordinal);
        Assert.Contains("384", failure.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task A_missing_item_in_the_answer_fails_the_batch()
    {
        _server.Then(async (context, request) => await _server.AnswerAsync(context, request with { Input = request.Input[..1] }));
        await using var services = Services();

        var failure = await Assert.ThrowsAsync<EmbeddingException>(() => Embedder(services).EmbedAsync(["one", "two"], CancellationToken.None));

        Assert.Contains("no embedding for input 1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_is_sent_as_a_bearer_token_and_never_appears_in_a_refusal()
    {
        _server.ThenStatus(401, body: $"{{\"error\":{{\"message\":\"Incorrect API key provided: {ApiKey}\"}}}}");
        await using var services = Services();

        var failure = await Assert.ThrowsAsync<EmbeddingException>(() => Embedder(services).EmbedAsync(["who am i"], CancellationToken.None));

        Assert.Equal($"Bearer {ApiKey}", Assert.Single(_server.Requests).Authorization);
        Assert.False(failure.Transient);
        Assert.Contains("401", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided: ***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddingOptions>>().Value.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_a_request_in_flight()
    {
        _server.Then(async (context, request) => await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted));
        await using var services = Services();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Embedder(services).EmbedAsync(["cancel me"], cancel.Token));
        Assert.Single(_server.Requests);
    }

    private ServiceProvider Services(int batchSize = 16, string? baseUrl = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "OpenAI",
            ["Vectros:Embeddings:BaseUrl"] = baseUrl ?? _server.BaseUrl,
            ["Vectros:Embeddings:ApiKey"] = ApiKey,
            ["Vectros:Embeddings:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vectros:Embeddings:RetryBaseDelay"] = "00:00:00.020",
            ["Vectros:Embeddings:Timeout"] = "00:00:05",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return EmbeddingTestServices.Build(settings);
    }

    private static IEmbedder Embedder(IServiceProvider services)
    {
        var embedder = services.GetRequiredService<IEmbedder>();
        Assert.IsType<OpenAiCompatibleEmbedder>(embedder);
        return embedder;
    }

    private static void AssertVectorsFor(string[] texts, IReadOnlyList<float[]> vectors)
    {
        Assert.Equal(texts.Length, vectors.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(FakeEmbeddingServer.VectorFor(texts[i], 384), vectors[i], (a, b) => Math.Abs(a - b) < 1e-6);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
