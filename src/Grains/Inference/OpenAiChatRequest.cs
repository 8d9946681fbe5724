using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vectros.Grains.Inference;

/// <summary>
/// The body of <c>POST {BaseUrl}/chat/completions</c>: the system prompt as a <c>system</c> message, the turns as
/// <c>user</c>/<c>assistant</c> messages, streamed with usage in the last chunk. <c>top_p</c> is sent only at
/// temperature 0: the spec ignores topP when temperature is above 0 (API-DIGEST §4 "Chat").
/// </summary>
internal static class OpenAiChatRequest
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static byte[] Serialize(string upstreamModel, ChatModelPrompt prompt)
    {
        var messages = new List<Message>(prompt.Turns.Count + 1);
        if (!string.IsNullOrEmpty(prompt.System))
        {
            messages.Add(new Message("system", prompt.System));
        }

        messages.AddRange(prompt.Turns.Select(static t => new Message(t.Role, t.Content)));
        return JsonSerializer.SerializeToUtf8Bytes(
            new Body(
                upstreamModel,
                messages,
                Stream: true,
                new StreamOptions(IncludeUsage: true),
                prompt.MaxTokens,
                prompt.Temperature,
                prompt.Temperature == 0 ? prompt.TopP : null),
            Json);
    }

    /// <summary>What the prompt costs by <see cref="TokenEstimator"/>, for an upstream that reports no usage.</summary>
    public static int EstimateInputTokens(ChatModelPrompt prompt) =>
        TokenEstimator.Count(prompt.System) + prompt.Turns.Sum(static t => TokenEstimator.Count(t.Content));

    private sealed record Body(
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("messages")] IReadOnlyList<Message> Messages,
        [property: JsonPropertyName("stream")] bool Stream,
        [property: JsonPropertyName("stream_options")] StreamOptions StreamOptions,
        [property: JsonPropertyName("max_tokens")] int MaxTokens,
        [property: JsonPropertyName("temperature")] double Temperature,
        [property: JsonPropertyName("top_p")] double? TopP);

    private sealed record Message(
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("content")] string Content);

    private sealed record StreamOptions([property: JsonPropertyName("include_usage")] bool IncludeUsage);
}
