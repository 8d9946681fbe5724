namespace Vectros.Grains.Inference;

/// <summary>
/// One chat model behind the one interface every inference endpoint uses (DESIGN §1): the local extractive answerer,
/// or any OpenAI-compatible streaming chat API. Implementations stream text deltas and end with exactly one chunk that
/// carries <see cref="ChatModelChunk.Usage"/> (the tokens actually used). Cancelling the token stops the model: the
/// upstream HTTP call is aborted, and no further chunks come.
/// </summary>
public interface IChatModel
{
    /// <summary>The alias callers pass as <c>model</c>.</summary>
    string Id { get; }

    IAsyncEnumerable<ChatModelChunk> StreamAsync(ChatModelPrompt prompt, CancellationToken cancellationToken);
}

/// <summary>
/// What a model is asked. <see cref="Turns"/> is the conversation as a remote model sees it (for RAG and ask the
/// grounding passages are already rendered into it). <see cref="Passages"/> carries the same passages structured, for
/// the extractive answerer, which composes its answer only from them; <see cref="Question"/> is what to answer.
/// </summary>
public sealed record ChatModelPrompt
{
    public string? System { get; init; }
    public required IReadOnlyList<ChatModelTurn> Turns { get; init; }
    public IReadOnlyList<GroundingPassage> Passages { get; init; } = [];
    public required string Question { get; init; }
    public required int MaxTokens { get; init; }
    public required double Temperature { get; init; }
    public double? TopP { get; init; }
}

/// <summary>A conversation turn: <c>user</c> or <c>assistant</c> (the system prompt travels apart).</summary>
public sealed record ChatModelTurn(string Role, string Content);

/// <summary>
/// A passage the answer may use. <see cref="CitationId"/> is the id a citation names, written <c>[id]</c> in the
/// answer: a search result's id for RAG, the document id for ask.
/// </summary>
public sealed record GroundingPassage(string CitationId, string Text, string? Title = null);

/// <summary>A text delta, or (last) the usage of the whole call.</summary>
public sealed record ChatModelChunk(string? Delta, ChatModelUsage? Usage = null);

public sealed record ChatModelUsage(int InputTokens, int OutputTokens);

/// <summary>The configured models by alias, and their catalog entries for <c>GET /v1/models</c> and pricing.</summary>
public interface IChatModelRegistry
{
    Vectros.Grains.Abstractions.Inference.ModelCatalog Catalog { get; }

    /// <summary>Null for an alias that is not configured.</summary>
    IChatModel? Find(string modelId);
}

/// <summary>
/// Token counts where a model does not report them (the extractive answerer, prompt budgets, estimates before a call):
/// about four characters of English per token, rounded up, the rule of thumb OpenAI documents for its tokenizers.
/// </summary>
public static class TokenEstimator
{
    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : (text.Length + 3) / 4;
}
