using Orleans;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>
/// The prepaid inference balance of one environment (keyed by tenant id), in cents. The balance is derived from a
/// ledger (a row per charge and per top-up); this grain serialises reservations so concurrent calls cannot overspend.
/// </summary>
[Alias("vectros.IInferenceBalanceGrain")]
public interface IInferenceBalanceGrain : IGrainWithStringKey
{
    /// <summary>The current balance: top-ups minus charges, in cents (never cached across silos).</summary>
    Task<long> GetBalanceCentsAsync();
}
