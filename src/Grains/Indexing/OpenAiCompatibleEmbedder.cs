using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Grains.Upstream;

namespace Vectros.Grains.Indexing;

/// <summary>
/// Embeds through any OpenAI-compatible <c>POST {BaseUrl}/embeddings</c>: <c>{model, input:[…]}</c> in,
/// <c>{data:[{index, embedding}]}</c> out. Batches by <see cref="EmbeddingOptions.BatchSize"/>; retries 408, 429, 5xx,
/// time-outs and connection failures with exponential back-off and jitter (a server's <c>Retry-After</c> wins);
/// checks every vector's width against the index. The API key goes only into the Authorization header.
/// </summary>
public sealed partial class OpenAiCompatibleEmbedder : IEmbedder
{
    /// <summary>The <see cref="IHttpClientFactory"/> name (one pooled SocketsHttpHandler for the silo).</summary>
    public const string HttpClientName = "vectros-embeddings";

    private static readonly JsonSerializerOptions RequestJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly IHttpClientFactory _clients;
    private readonly EmbeddingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OpenAiCompatibleEmbedder> _logger;
    private readonly Uri _endpoint;

    public OpenAiCompatibleEmbedder(
        IHttpClientFactory clients, IOptions<EmbeddingOptions> options, TimeProvider time, ILogger<OpenAiCompatibleEmbedder> logger)
    {
        _clients = clients;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _endpoint = new Uri($"{_options.BaseUrl?.TrimEnd('/')}/embeddings", UriKind.Absolute);
    }

    public string Model => _options.Model;

    public int Dimensions => _options.Dimensions;

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new List<float[]>(texts.Count);

        // Batches go one after another: a rate-limited service gains nothing from more requests in flight.
        foreach (var batch in texts.Chunk(_options.BatchSize))
        {
            vectors.AddRange(await EmbedBatchAsync(batch, cancellationToken));
        }

        return vectors;
    }

    private async Task<float[][]> EmbedBatchAsync(string[] batch, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new EmbeddingRequest(
                _options.Model,
                // OpenAI refuses an empty input string; a blank text means the same to the model.
                [.. batch.Select(static t => string.IsNullOrEmpty(t) ? " " : t)],
                _options.SendDimensions ? _options.Dimensions : null),
            RequestJson);
        var client = _clients.CreateClient(HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await TryOnceAsync(client, body, batch.Length, cancellationToken);
            if (outcome.Vectors is { } vectors)
            {
                return vectors;
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new EmbeddingException(
                    $"The embedding service at {_endpoint} failed {attempt + 1} time(s); the last attempt: {outcome.Reason}.",
                    transient: true,
                    outcome.Error);
            }

            var delay = outcome.RetryAfter ?? Backoff(attempt);
            LogRetrying(_logger, _endpoint, outcome.Reason, attempt + 1, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>One request under its own time-out; a retryable failure comes back, any other one throws.</summary>
    private async Task<Attempt> TryOnceAsync(HttpClient client, byte[] body, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            if (!string.IsNullOrEmpty(_options.ApiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                var json = await response.Content.ReadAsByteArrayAsync(timeout.Token);
                return new Attempt(OpenAiEmbeddingResponse.Read(json, count, _options.Dimensions, Redact), string.Empty, null, null);
            }

            var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Redact(await ErrorTextAsync(response, timeout.Token))}";
            if (!IsRetryable(response.StatusCode))
            {
                throw new EmbeddingException($"The embedding service at {_endpoint} refused the request ({status}).", transient: false);
            }

            return new Attempt(null, status, RetryAfter(response), null);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new Attempt(null, $"no answer within {_options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", null, e);
        }
        catch (HttpRequestException e)
        {
            return new Attempt(null, $"connection failed ({Redact(e.Message)})", null, null);
        }
        catch (IOException e)
        {
            return new Attempt(null, $"connection failed ({Redact(e.Message)})", null, null);
        }
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Length <= 500 ? text : text[..500] + "…";
    }

    private static bool IsRetryable(HttpStatusCode status) => UpstreamRetry.IsRetryable(status);

    private TimeSpan? RetryAfter(HttpResponseMessage response) => UpstreamRetry.RetryAfter(response, _time.GetUtcNow(), _options.MaxRetryDelay);

    private TimeSpan Backoff(int attempt) => UpstreamRetry.Backoff(attempt, _options.RetryBaseDelay, _options.MaxRetryDelay);

    private string Redact(string text) => UpstreamRetry.Redact(text, _options.ApiKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding request to {Endpoint} failed ({Reason}); retry {Retry} in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, Uri endpoint, string reason, int retry, long delayMs);

    private sealed record EmbeddingRequest(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("input")] string[] Input,
        [property: JsonPropertyName("dimensions")] int? Dimensions);

    /// <summary>Either vectors, or why this attempt failed and may be retried.</summary>
    private sealed record Attempt(float[][]? Vectors, string Reason, TimeSpan? RetryAfter, Exception? Error);
}
