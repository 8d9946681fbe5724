using Orleans;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>What every call names: the model (null = the catalog default) and the sampling settings, already range-checked.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceSettings")]
public sealed record InferenceSettings
{
    [Id(0)] public string? Model { get; init; }
    [Id(1)] public required int MaxTokens { get; init; }
    [Id(2)] public required double Temperature { get; init; }
    [Id(3)] public double? TopP { get; init; }

    /// <summary>The request id the ledger row carries (the HTTP request's <c>X-Request-Id</c>).</summary>
    [Id(4)] public string? RequestId { get; init; }
}

/// <summary>A chat message: role <c>system</c>, <c>user</c> or <c>assistant</c>.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ChatMessage")]
public sealed record ChatMessage([property: Id(0)] string Role, [property: Id(1)] string Content);

/// <summary><c>POST /v1/chat</c> (spec ChatRequest L10155).</summary>
[GenerateSerializer, Immutable, Alias("vectros.ChatCall")]
public sealed record ChatCall
{
    [Id(0)] public required IReadOnlyList<ChatMessage> Messages { get; init; }
    [Id(1)] public required InferenceSettings Settings { get; init; }
}

/// <summary><c>POST /v1/rag</c> (spec RagRequest L10423); <see cref="Search"/> carries the query text too.</summary>
[GenerateSerializer, Immutable, Alias("vectros.RagCall")]
public sealed record RagCall
{
    [Id(0)] public required SearchQuery Search { get; init; }
    [Id(1)] public string? Instructions { get; init; }
    [Id(2)] public required InferenceSettings Settings { get; init; }
}

/// <summary><c>POST /v1/documents/{id}/ask</c> (spec DocumentAskRequest L10242).</summary>
[GenerateSerializer, Immutable, Alias("vectros.AskCall")]
public sealed record AskCall
{
    [Id(0)] public required Guid DocumentId { get; init; }
    [Id(1)] public required string Prompt { get; init; }
    [Id(2)] public string? Instructions { get; init; }
    [Id(3)] public required InferenceSettings Settings { get; init; }
}
