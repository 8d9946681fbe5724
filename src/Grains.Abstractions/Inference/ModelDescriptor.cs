using Orleans;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>
/// One configured inference model as <c>GET /v1/models</c> shows it (spec ModelInfo L7966). Rates are credits (= cents)
/// per 1K tokens at the base (non-US) region; the US rate, which is what a call is billed at by default, is the base
/// rate times <see cref="RegionPremiumFactor"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ModelDescriptor")]
public sealed record ModelDescriptor
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Provider { get; init; }
    [Id(3)] public required int ContextWindow { get; init; }
    [Id(4)] public required IReadOnlyList<string> AvailableOn { get; init; }
    [Id(5)] public required double InputCreditsPer1kTokens { get; init; }
    [Id(6)] public required double OutputCreditsPer1kTokens { get; init; }
    [Id(7)] public required double RegionPremiumFactor { get; init; }
    [Id(8)] public required bool GlobalAvailable { get; init; }
}

/// <summary>The catalog: every configured model plus the alias used when a request names none.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ModelCatalog")]
public sealed record ModelCatalog(
    [property: Id(0)] IReadOnlyList<ModelDescriptor> Models,
    [property: Id(1)] string DefaultModel);
