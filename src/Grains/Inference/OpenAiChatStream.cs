using System.Text.Json;

namespace Vectros.Grains.Inference;

/// <summary>
/// Reads one upstream Server-Sent Events answer of <c>POST /chat/completions</c>: <c>data: {chunk}</c> lines up to
/// <c>data: [DONE]</c>, where a chunk carries <c>choices[0].delta.content</c> and (with
/// <c>stream_options.include_usage</c>) the last one <c>usage</c>. Other SSE fields and comment lines are skipped.
/// Owns the response: disposing it closes the upstream connection, which is how a cancelled call is aborted.
/// </summary>
internal sealed class OpenAiChatStream(HttpResponseMessage response, Stream body, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly StreamReader _reader = new(body);

    // One timer for the whole answer, re-armed before each read: the first-token and idle time-outs.
    private readonly CancellationTokenSource _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    private bool _finished;
    private bool _done;

    /// <summary>What the upstream reported, once its usage chunk has been read (null if it sends none).</summary>
    public ChatModelUsage? Usage { get; private set; }

    /// <summary>
    /// The next non-empty text delta, or null at the end of the answer. Throws <see cref="OperationCanceledException"/>
    /// when nothing arrives within <paramref name="timeout"/> (the caller tells it from its own cancellation),
    /// <see cref="IOException"/> or <see cref="HttpRequestException"/> when the connection breaks, and
    /// <see cref="ChatModelException"/> when the upstream reports an error in the stream.
    /// </summary>
    public async Task<string?> NextAsync(TimeSpan timeout)
    {
        while (!_done)
        {
            _timer.CancelAfter(timeout);
            var line = await _reader.ReadLineAsync(_timer.Token);
            if (line is null)
            {
                // A server that closes without [DONE] after a finish_reason has still answered in full.
                return _finished
                    ? null
                    : throw new ChatModelException("The chat model's stream ended before the answer was complete.");
            }

            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue; // blank separators, ": comments", event:/id:/retry: fields
            }

            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                _done = true;
                break;
            }

            if (Read(data.ToString()) is { Length: > 0 } delta)
            {
                return delta;
            }
        }

        return null;
    }

    private string? Read(string json)
    {
        using var chunk = ParseChunk(json);
        var root = chunk.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            throw new ChatModelException($"The chat model reported an error mid-stream: {UpstreamError.Describe(error)}.");
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            Usage = new ChatModelUsage(Tokens(usage, "prompt_tokens"), Tokens(usage, "completion_tokens"));
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return null; // the usage chunk has "choices": []
        }

        var choice = choices[0];
        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            _finished = true;
        }

        return choice.TryGetProperty("delta", out var delta)
            && delta.ValueKind == JsonValueKind.Object
            && delta.TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String
                ? content.GetString()
                : null;
    }

    private static JsonDocument ParseChunk(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            // The chunk's text is model output: it stays out of the message.
            throw new ChatModelException("The chat model sent a stream chunk that is not JSON.", e);
        }
    }

    private static int Tokens(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.TryGetInt32(out var tokens) ? Math.Max(0, tokens) : 0;

    public ValueTask DisposeAsync()
    {
        _timer.Dispose();
        _reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
