using Vectros.Grains.Abstractions.Inference;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec ModelsResponse (L8023).</summary>
public sealed record ModelsResponse(IReadOnlyList<ModelInfo> Models, string DefaultModel)
{
    public static ModelsResponse From(ModelCatalog catalog) => new([.. catalog.Models.Select(ModelInfo.From)], catalog.DefaultModel);
}

/// <summary>Spec ModelInfo (L7966): base rates at the top level, both regions under <c>regionPricing</c>.</summary>
public sealed record ModelInfo(
    string Id,
    string Name,
    string Provider,
    int ContextWindow,
    IReadOnlyList<string> AvailableOn,
    double InputCreditsPer1kTokens,
    double OutputCreditsPer1kTokens,
    RegionPricing RegionPricing)
{
    public static ModelInfo From(ModelDescriptor model) => new(
        model.Id, model.Name, model.Provider, model.ContextWindow, model.AvailableOn,
        model.InputCreditsPer1kTokens, model.OutputCreditsPer1kTokens,
        new RegionPricing(
            new RegionRates(model.InputCreditsPer1kTokens, model.OutputCreditsPer1kTokens),
            new RegionRates(model.InputCreditsPer1kTokens * model.RegionPremiumFactor, model.OutputCreditsPer1kTokens * model.RegionPremiumFactor),
            model.RegionPremiumFactor,
            model.GlobalAvailable));
}

/// <summary>Spec RegionPricing (L8037).</summary>
public sealed record RegionPricing(RegionRates Base, RegionRates Us, double RegionPremiumFactor, bool GlobalAvailable);

/// <summary>Spec RegionRates (L8063): credits per 1K tokens.</summary>
public sealed record RegionRates(double Input, double Output);
