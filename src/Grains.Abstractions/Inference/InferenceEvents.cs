using Orleans;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>One event of an inference stream; the front end writes each as one SSE event of the spec's name.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceEvent")]
public abstract record InferenceEvent;

/// <summary><c>content_delta</c>: the next piece of the answer.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceContentDelta")]
public sealed record InferenceContentDelta([property: Id(0)] string Delta) : InferenceEvent;

/// <summary><c>done</c>: the tokens used and what they cost (fee in credits from the allowance, tokens in cents from the balance).</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceDone")]
public sealed record InferenceDone : InferenceEvent
{
    [Id(0)] public required int InputTokens { get; init; }
    [Id(1)] public required int OutputTokens { get; init; }
    [Id(2)] public required string Model { get; init; }
    [Id(3)] public required double PlatformCreditsCharged { get; init; }
    [Id(4)] public required long InferenceBalanceCentsCharged { get; init; }
}

/// <summary><c>error</c>: the stream failed after it began; it ends here.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceError")]
public sealed record InferenceError([property: Id(0)] string Code, [property: Id(1)] string Message) : InferenceEvent;

/// <summary><c>document_context</c>: which document an ask answers from.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceDocumentContext")]
public sealed record InferenceDocumentContext : InferenceEvent
{
    [Id(0)] public required Guid DocumentId { get; init; }
    [Id(1)] public string? Title { get; init; }
    [Id(2)] public required long TextBytes { get; init; }
    [Id(3)] public required string Model { get; init; }
}

/// <summary><c>search_results</c>: what the RAG search found, before any was dropped for the context budget.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceSearchResults")]
public sealed record InferenceSearchResults : InferenceEvent
{
    [Id(0)] public required IReadOnlyList<SearchHit> Results { get; init; }
    [Id(1)] public required int TotalResults { get; init; }
    [Id(2)] public required long SearchTimeMs { get; init; }
    [Id(3)] public required IReadOnlyList<string> DegradedLegs { get; init; }
}

/// <summary><c>truncation_warning</c>: only <see cref="ResultsUsed"/> of the results fitted the model's context budget.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceTruncationWarning")]
public sealed record InferenceTruncationWarning : InferenceEvent
{
    [Id(0)] public required int ResultsRequested { get; init; }
    [Id(1)] public required int ResultsUsed { get; init; }
    [Id(2)] public string Reason { get; init; } = "context_window_budget";
}

/// <summary>Nothing new yet: written as an SSE comment so proxies and clients keep the connection.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceHeartbeat")]
public sealed record InferenceHeartbeat : InferenceEvent;
