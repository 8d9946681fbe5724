using Orleans;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>
/// The prepaid inference balance of one environment (keyed by tenant id), in cents. The balance is derived from a
/// ledger (a row per charge and per top-up); this grain serialises reservations so concurrent calls cannot overspend.
/// Holds live in memory only: a silo crash drops them, and the calls they covered are then charged nothing.
/// </summary>
[Alias("vectros.IInferenceBalanceGrain")]
public interface IInferenceBalanceGrain : IGrainWithStringKey
{
    /// <summary>The current balance: top-ups minus charges, in cents (never cached across silos).</summary>
    Task<long> GetBalanceCentsAsync();

    /// <summary>
    /// Holds <paramref name="estimateCents"/> (the call's maximum cost) against the balance net of other holds, or
    /// throws <c>PaymentRequiredException(INSUFFICIENT_BALANCE)</c> when it does not cover it.
    /// </summary>
    Task<InferenceHold> ReserveAsync(long estimateCents);

    /// <summary>Releases the hold and writes the charge row (idempotent by <see cref="InferenceCharge.ChargeId"/>).</summary>
    Task SettleAsync(InferenceHold hold, InferenceCharge charge);

    /// <summary>Credits the balance; a replay with the same reference returns the first row and credits nothing.</summary>
    Task<TopUpResult> TopUpAsync(TopUpCommand command);
}

/// <summary>A reservation against the balance, released by <see cref="IInferenceBalanceGrain.SettleAsync"/>.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceHold")]
public sealed record InferenceHold([property: Id(0)] Guid HoldId, [property: Id(1)] long Cents);

/// <summary>What one call actually cost and why (a ledger row of kind <c>charge</c>).</summary>
[GenerateSerializer, Immutable, Alias("vectros.InferenceCharge")]
public sealed record InferenceCharge
{
    [Id(0)] public required string ChargeId { get; init; }
    [Id(1)] public required long Cents { get; init; }
    [Id(2)] public required string Model { get; init; }
    [Id(3)] public required string Endpoint { get; init; }
    [Id(4)] public required int InputTokens { get; init; }
    [Id(5)] public required int OutputTokens { get; init; }
    [Id(6)] public required string ContextId { get; init; }
    [Id(7)] public string? RequestId { get; init; }
}

[GenerateSerializer, Immutable, Alias("vectros.TopUpCommand")]
public sealed record TopUpCommand([property: Id(0)] long AmountCents, [property: Id(1)] string Reference);

/// <summary>One top-up row; <see cref="Created"/> is false for a replayed reference.</summary>
[GenerateSerializer, Immutable, Alias("vectros.TopUpResult")]
public sealed record TopUpResult
{
    [Id(0)] public required bool Created { get; init; }
    [Id(1)] public required string TopUpId { get; init; }
    [Id(2)] public required string TenantId { get; init; }
    [Id(3)] public required long AmountCents { get; init; }
    [Id(4)] public required string Reference { get; init; }
    [Id(5)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(6)] public required long BalanceCents { get; init; }
}
