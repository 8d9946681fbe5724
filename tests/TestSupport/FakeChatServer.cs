using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vectros.TestSupport;

/// <summary>
/// An OpenAI-compatible streaming chat API of the tests' own on loopback Kestrel: <c>POST /v1/chat/completions</c>
/// answers with Server-Sent Events the way OpenAI does (a role chunk, a chunk per scripted delta, a finish chunk, a
/// usage chunk, <c>data: [DONE]</c>). The script is plain properties, read when a request arrives, so a test sets them
/// before the call: fail the first N requests, stall before the headers or the first token or after some deltas,
/// break the connection mid-stream, omit usage. Every request is recorded (headers, body) with whether the client went
/// away before the answer was complete (<see cref="FakeChatRequest.Disconnected"/>).
/// </summary>
public sealed class FakeChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeChatRequest> _requests = new();
    private int _failuresLeft;

    private FakeChatServer(WebApplication app, string root)
    {
        _app = app;
        BaseUrl = root + "/v1";
    }

    /// <summary>Configure a model with this as its <c>BaseUrl</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>The text deltas of every answer, in order.</summary>
    public IReadOnlyList<string> Deltas { get; set; } = ["The answer", " is", " forty-two", "."];

    /// <summary>A pause before each delta, so a stream is observably a stream.</summary>
    public TimeSpan DeltaDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The usage chunk's counts; null sends no usage chunk (servers that ignore <c>stream_options</c>).</summary>
    public FakeChatUsage? Usage { get; set; } = new(120, 8);

    /// <summary>Answer headers, then nothing until the client goes away (a first-token time-out).</summary>
    public bool StallBeforeFirstToken { get; set; }

    /// <summary>Send no headers at all until the client goes away (a connect time-out).</summary>
    public bool StallBeforeHeaders { get; set; }

    /// <summary>After this many deltas, go silent until the client goes away (an idle time-out, or a cancellation).</summary>
    public int? StallAfterDeltas { get; set; }

    /// <summary>
    /// After this many deltas, end the response with neither a finish reason nor <c>[DONE]</c> (an upstream failure
    /// mid-stream). The end is orderly, so the deltas before it surely arrive; a reset could drop them.
    /// </summary>
    public int? BreakAfterDeltas { get; set; }

    public IReadOnlyList<FakeChatRequest> Requests => [.. _requests];

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="status"/> before any token.</summary>
    public void FailFirst(int count, int status = 500, string? retryAfter = null, string message = "scripted failure")
    {
        FailureStatus = status;
        FailureRetryAfter = retryAfter;
        FailureMessage = message;
        Volatile.Write(ref _failuresLeft, count);
    }

    private int FailureStatus { get; set; } = 500;

    private string? FailureRetryAfter { get; set; }

    private string FailureMessage { get; set; } = "scripted failure";

    /// <summary>The key <see cref="ModelSettings"/> configures: the fake records it, it checks none.</summary>
    public const string ApiKey = "sk-fake-chat-0123456789";

    /// <summary>
    /// Settings for <c>VectrosTestServer.StartAsync</c> that serve this fake as the model <paramref name="alias"/>
    /// (entry <paramref name="index"/> of <c>Vectros:Inference:Models</c>), asking it for <paramref name="upstreamModel"/>.
    /// Short time-outs and back-off keep failure tests quick; add or override keys as a test needs.
    /// </summary>
    public Dictionary<string, string?> ModelSettings(string alias = "fake-gpt", int index = 0, string upstreamModel = "fake-upstream-model")
    {
        var prefix = $"Vectros:Inference:Models:{index}:";
        return new Dictionary<string, string?>
        {
            [prefix + "Id"] = alias,
            [prefix + "Name"] = "Fake GPT",
            [prefix + "Provider"] = "OpenAI",
            [prefix + "Backend"] = "OpenAI",
            [prefix + "BaseUrl"] = BaseUrl,
            // The fake listens on loopback over plain http: the operator's opt-out of the anti-SSRF guard for this model.
            [prefix + "AllowPrivateNetwork"] = "true",
            [prefix + "ApiKey"] = ApiKey,
            [prefix + "UpstreamModel"] = upstreamModel,
            [prefix + "InputCreditsPer1kTokens"] = "0.1",
            [prefix + "OutputCreditsPer1kTokens"] = "0.5",
            [prefix + "RegionPremiumFactor"] = "1.1",
            [prefix + "FirstTokenTimeout"] = "00:00:05",
            [prefix + "IdleTimeout"] = "00:00:05",
            [prefix + "RetryBaseDelay"] = "00:00:00.020",
            [prefix + "MaxRetryDelay"] = "00:00:01",
        };
    }

    /// <summary>The concatenated deltas: what a client should end up with.</summary>
    public string Answer => string.Concat(Deltas);

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeChatServer? self = null;
        app.MapPost("/v1/chat/completions", (HttpContext context) => self!.AnswerAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        self = new FakeChatServer(app, address);
        return self;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var request = await RecordAsync(context);
        try
        {
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                await FailAsync(context);
                request.Complete();
                return;
            }

            if (StallBeforeHeaders)
            {
                await Task.Delay(Timeout.Infinite, aborted);
            }

            await StreamAsync(context, request, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away: RecordAsync's registration has noted it.
        }
        catch (IOException)
        {
            // A write to a client that has gone.
        }
    }

    private async Task StreamAsync(HttpContext context, FakeChatRequest request, CancellationToken aborted)
    {
        var model = request.Json.TryGetProperty("model", out var m) ? m.GetString() : "fake";
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(aborted);
        await context.Response.Body.FlushAsync(aborted); // the headers go now, not with the first chunk
        if (StallBeforeFirstToken)
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }

        await SendAsync(context, Chunk(model, new { role = "assistant", content = "" }, null), aborted);
        for (var i = 0; i < Deltas.Count; i++)
        {
            if (i == StallAfterDeltas)
            {
                await Task.Delay(Timeout.Infinite, aborted);
            }

            if (i == BreakAfterDeltas)
            {
                request.Broken = true;
                return;
            }

            await Task.Delay(DeltaDelay, aborted);
            await SendAsync(context, Chunk(model, new { content = Deltas[i] }, null), aborted);
        }

        await SendAsync(context, Chunk(model, new { }, "stop"), aborted);
        if (Usage is { } usage)
        {
            await SendAsync(context, new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion.chunk",
                model,
                choices = Array.Empty<object>(),
                usage = new { prompt_tokens = usage.InputTokens, completion_tokens = usage.OutputTokens, total_tokens = usage.InputTokens + usage.OutputTokens },
            }, aborted);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
        request.Complete();
    }

    private async Task FailAsync(HttpContext context)
    {
        context.Response.StatusCode = FailureStatus;
        if (FailureRetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        await context.Response.WriteAsJsonAsync(new { error = new { message = FailureMessage, type = "server_error" } });
    }

    private async Task<FakeChatRequest> RecordAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new FakeChatRequest(
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        context.RequestAborted.Register(request.NoteAbort);
        _requests.Enqueue(request);
        return request;
    }

    private static object Chunk(string? model, object delta, string? finishReason) => new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion.chunk",
        model,
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    private static async Task SendAsync(HttpContext context, object chunk, CancellationToken aborted)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }

    public async ValueTask DisposeAsync()
    {
        // Stalled answers end when their clients go; do not wait long for ones a test left open.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>Token counts the fake reports in its usage chunk.</summary>
public sealed record FakeChatUsage(int InputTokens, int OutputTokens);

/// <summary>One request the fake received, and what became of it.</summary>
public sealed class FakeChatRequest(IReadOnlyDictionary<string, string> headers, string body)
{
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _completed;

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public string Body { get; } = body;

    public JsonElement Json { get; } = JsonDocument.Parse(body).RootElement.Clone();

    public string? Authorization => Headers.TryGetValue("Authorization", out var value) ? value : null;

    /// <summary>The fake cut this answer short itself (<see cref="FakeChatServer.BreakAfterDeltas"/>).</summary>
    public bool Broken { get; internal set; }

    /// <summary>The whole answer, through <c>[DONE]</c>, was written.</summary>
    public bool Completed => _completed;

    /// <summary>True once the client closed the connection before the answer was complete.</summary>
    public bool Disconnected => _disconnected.Task.IsCompleted;

    /// <summary>Completes when the client closes the connection before the answer is complete.</summary>
    public Task WhenDisconnected => _disconnected.Task;

    internal void Complete() => _completed = true;

    internal void NoteAbort()
    {
        if (!_completed && !Broken)
        {
            _disconnected.TrySetResult();
        }
    }
}
