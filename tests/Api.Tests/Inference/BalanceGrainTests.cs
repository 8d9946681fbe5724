using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>The balance grain on its own: holds cannot overspend under concurrency, and settles are idempotent.</summary>
[Collection(InferenceCollection.Name)]
public sealed class BalanceGrainTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    private IInferenceBalanceGrain Balance => Server.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<IInferenceBalanceGrain>(Partner.TestTenantId);

    [Fact]
    public async Task Concurrent_reservations_never_hold_more_than_the_balance()
    {
        await TopUpAsync(10);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            try
            {
                return await Balance.ReserveAsync(3);
            }
            catch (PaymentRequiredException ex) when (ex.ErrorCode == "INSUFFICIENT_BALANCE")
            {
                return null;
            }
        }));
        var held = attempts.Where(h => h is not null).ToList();
        Assert.Equal(3, held.Count);

        // Settling releases the hold and charges only the actual cost: the released cents can be held again.
        await Balance.SettleAsync(held[0]!, Charge("c-1", 1));
        Assert.Equal(9, await Balance.GetBalanceCentsAsync());
        Assert.NotNull(await Balance.ReserveAsync(3));
    }

    [Fact]
    public async Task A_settle_replayed_with_the_same_charge_id_charges_once()
    {
        await TopUpAsync(10);
        var hold = await Balance.ReserveAsync(5);
        await Balance.SettleAsync(hold, Charge("c-dup", 4));
        await Balance.SettleAsync(hold, Charge("c-dup", 4));
        Assert.Equal(6, await Balance.GetBalanceCentsAsync());
        Assert.Single(await ChargesAsync());
    }

    private static InferenceCharge Charge(string id, long cents) => new()
    {
        ChargeId = id,
        Cents = cents,
        Model = "scripted",
        Endpoint = "chat",
        InputTokens = 10,
        OutputTokens = 10,
        ContextId = "default",
    };
}
