using Vectros.Grains.Abstractions.Inference;

namespace Vectros.Grains.Inference;

/// <summary>
/// Token cost in cents from a model's catalog rates (credits = cents per 1K tokens, spec ModelInfo): a call is billed at
/// the US rate, base × regionPremiumFactor, and rounded up to a whole cent per call.
/// </summary>
public static class InferencePricing
{
    public static long Cents(ModelDescriptor model, long inputTokens, long outputTokens)
    {
        // decimal, so a rate like 0.1 × 3 tokens does not round up a cent on binary noise.
        var raw = ((decimal)model.InputCreditsPer1kTokens * inputTokens + (decimal)model.OutputCreditsPer1kTokens * outputTokens)
            / 1000m * (decimal)model.RegionPremiumFactor;
        return raw <= 0 ? 0 : (long)decimal.Ceiling(raw);
    }
}
