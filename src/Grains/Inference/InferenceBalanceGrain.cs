using Vectros.Grains.Abstractions.Inference;

namespace Vectros.Grains.Inference;

/// <summary>The prepaid inference balance of one environment (placeholder until the ledger lands).</summary>
public sealed class InferenceBalanceGrain : Grain, IInferenceBalanceGrain
{
    public Task<long> GetBalanceCentsAsync() => Task.FromResult(0L);
}
