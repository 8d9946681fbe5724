using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Vectros.Grains.Network;
using Vectros.Grains.Upstream;

namespace Vectros.Grains.Inference;

/// <summary>
/// A chat model behind any OpenAI-compatible streaming <c>POST {BaseUrl}/chat/completions</c> (OpenAI, Azure OpenAI,
/// vLLM, llama.cpp, Ollama). Retries connection failures, 408, 429 and 5xx with back-off (a server's
/// <c>Retry-After</c> wins) only while nothing has reached the caller; once the first token is out, a failure is an
/// exception (the inference grain turns it into an <c>error</c> event): a retry would repeat text already sent.
/// Cancelling the token disposes the response, which closes the upstream connection.
/// </summary>
public sealed partial class OpenAiCompatibleChatModel(
    OpenAiChatSettings settings, IHttpClientFactory clients, TimeProvider time, ILogger<OpenAiCompatibleChatModel> logger) : IChatModel
{
    /// <summary>The <see cref="IHttpClientFactory"/> name (one pooled SocketsHttpHandler for the silo).</summary>
    public const string HttpClientName = "vectros-chat";

    /// <summary>The client of models with <see cref="OpenAiChatSettings.AllowPrivateNetwork"/>: loopback and private ranges pass.</summary>
    public const string PrivateNetworkHttpClientName = "vectros-chat-private";

    public string Id => settings.ModelId;

    public async IAsyncEnumerable<ChatModelChunk> StreamAsync(
        ChatModelPrompt prompt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var body = OpenAiChatRequest.Serialize(settings.UpstreamModel, prompt);
        var (stream, first) = await OpenAsync(body, cancellationToken);
        await using (stream)
        {
            var produced = new StringBuilder();
            for (var delta = first; delta is not null; delta = await NextAsync(stream, cancellationToken))
            {
                produced.Append(delta);
                yield return new ChatModelChunk(delta);
            }

            yield return new ChatModelChunk(
                null,
                stream.Usage ?? new ChatModelUsage(OpenAiChatRequest.EstimateInputTokens(prompt), TokenEstimator.Count(produced.ToString())));
        }
    }

    /// <summary>Attempts until one answers with its first token (or the end of an empty answer); retries as above.</summary>
    private async Task<(OpenAiChatStream Stream, string? First)> OpenAsync(byte[] body, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(settings.AllowPrivateNetwork ? PrivateNetworkHttpClientName : HttpClientName);
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await TryOpenAsync(client, body, cancellationToken);
            if (outcome.Stream is { } stream)
            {
                return (stream, outcome.First);
            }

            if (attempt >= settings.MaxRetries)
            {
                throw new ChatModelException(
                    $"The chat model '{settings.ModelId}' at {settings.Endpoint} failed {attempt + 1} time(s) before answering; the last attempt: {outcome.Reason}.");
            }

            var delay = outcome.RetryAfter ?? Backoff(attempt);
            LogRetrying(logger, settings.ModelId, settings.Endpoint, outcome.Reason, attempt + 1, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    /// <summary>One attempt: a stream with its first token, a retryable failure, or (anything else) an exception.</summary>
    private async Task<Attempt> TryOpenAsync(HttpClient client, byte[] body, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        OpenAiChatStream? stream = null;
        var connected = false;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(settings.ConnectTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
            }

            connected = true;
            if (!response.IsSuccessStatusCode)
            {
                return await RefusedAsync(response, cancellationToken);
            }

            stream = new OpenAiChatStream(response, await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken);
            var first = await stream.NextAsync(settings.FirstTokenTimeout);
            var opened = new Attempt(stream, first, string.Empty, null);
            stream = null; // the caller owns it now
            response = null;
            return opened;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !connected)
        {
            return Attempt.Failed($"no response within {Seconds(settings.ConnectTimeout)} s");
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A model that does not start within the time-out is not retried: it is likely still busy with this prompt.
            throw new ChatModelException(
                $"The chat model '{settings.ModelId}' at {settings.Endpoint} sent no token within {Seconds(settings.FirstTokenTimeout)} s.", e);
        }
        catch (HttpRequestException e) when (e.InnerException is BlockedDestinationException { Address: { } address })
        {
            // The host resolves to an inside address and this model has no opt-out: nothing was sent, and a retry
            // would only ask DNS the same question. (An unresolvable name has no address: retried below like any
            // connection failure.) The key is not in anything logged here.
            LogRefused(logger, settings.ModelId, settings.BaseUrl.IdnHost, address.ToString());
            throw new ChatModelException(
                $"The chat model '{settings.ModelId}' at {settings.Endpoint} was not called: {settings.BaseUrl.IdnHost} resolves to {address}, a blocked address (set AllowPrivateNetwork on the model if it really runs inside the network).",
                e.InnerException);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Attempt.Failed($"connection failed ({Redact(e.Message)})");
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
            else
            {
                response?.Dispose();
            }
        }
    }

    private async Task<Attempt> RefusedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = Redact(UpstreamError.DescribeBody(await response.Content.ReadAsStringAsync(cancellationToken)));
        var reason = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {error}";
        return IsRetryable(response.StatusCode)
            ? new Attempt(null, null, reason, RetryAfter(response))
            : throw new ChatModelException($"The chat model '{settings.ModelId}' at {settings.Endpoint} refused the request ({reason}).");
    }

    /// <summary>A later chunk, under the idle time-out; every failure now surfaces (text has reached the caller).</summary>
    private async Task<string?> NextAsync(OpenAiChatStream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await stream.NextAsync(settings.IdleTimeout);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatModelException(
                $"The chat model '{settings.ModelId}' at {settings.Endpoint} fell silent for {Seconds(settings.IdleTimeout)} s mid-answer.", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ChatModelException(
                $"The connection to the chat model '{settings.ModelId}' at {settings.Endpoint} broke mid-answer ({Redact(e.Message)}).");
        }
    }

    private static bool IsRetryable(HttpStatusCode status) => UpstreamRetry.IsRetryable(status);

    private TimeSpan? RetryAfter(HttpResponseMessage response) => UpstreamRetry.RetryAfter(response, time.GetUtcNow(), settings.MaxRetryDelay);

    private TimeSpan Backoff(int attempt) => UpstreamRetry.Backoff(attempt, settings.RetryBaseDelay, settings.MaxRetryDelay);

    private string Redact(string text) => UpstreamRetry.Redact(text, settings.ApiKey);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat model {ModelId} at {Endpoint} failed before its first token ({Reason}); retry {Retry} in {DelayMs} ms")]
    private static partial void LogRetrying(ILogger logger, string modelId, Uri endpoint, string reason, int retry, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat model {ModelId} not called: its host {Host} resolves to {Address}, a blocked address (loopback, private, link-local or reserved); set Vectros:Inference:Models:N:AllowPrivateNetwork=true only if the model really runs inside the network")]
    private static partial void LogRefused(ILogger logger, string modelId, string host, string address);

    /// <summary>Either an open stream with its first delta, or why this attempt failed and may be retried.</summary>
    private sealed record Attempt(OpenAiChatStream? Stream, string? First, string Reason, TimeSpan? RetryAfter)
    {
        public static Attempt Failed(string reason) => new(null, null, reason, null);
    }
}
