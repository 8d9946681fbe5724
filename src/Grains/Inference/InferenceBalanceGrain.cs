using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.Grains.Inference;

/// <summary>
/// The prepaid inference balance of one environment (keyed by tenant id). The ledger in PostgreSQL is the truth; the
/// grain is not reentrant, so reserve, settle and top-up of one tenant run one at a time and two concurrent calls
/// cannot both spend the same cents. Holds are kept in memory only: a silo crash loses them, which releases the money
/// they held and charges nothing for the calls that were streaming (README "Inference"); a hold a call never settles
/// expires after <see cref="InferenceCallOptions.HoldLifetime"/>.
/// </summary>
public sealed class InferenceBalanceGrain : Grain, IInferenceBalanceGrain
{
    private readonly InferenceLedgerStore _store;
    private readonly InferenceCallOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<Guid, (long Cents, DateTimeOffset Expires)> _holds = [];

    public InferenceBalanceGrain(Npgsql.NpgsqlDataSource dataSource, IOptions<InferenceCallOptions> options, TimeProvider time)
    {
        _store = new InferenceLedgerStore(dataSource);
        _options = options.Value;
        _time = time;
    }

    private string TenantId => this.GetPrimaryKeyString();

    public Task<long> GetBalanceCentsAsync() => _store.BalanceAsync(TenantId);

    public async Task<InferenceHold> ReserveAsync(long estimateCents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimateCents);
        var now = _time.GetUtcNow();
        foreach (var expired in _holds.Where(h => h.Value.Expires <= now).Select(h => h.Key).ToList())
        {
            _holds.Remove(expired);
        }

        var available = await _store.BalanceAsync(TenantId) - _holds.Values.Sum(h => h.Cents);

        // A call that may cost nothing still needs a positive balance: a prepaid account at zero is not open for inference.
        if (estimateCents > available || available <= 0)
        {
            throw new PaymentRequiredException(
                "INSUFFICIENT_BALANCE",
                $"The prepaid inference balance does not cover this call (up to {estimateCents} cents). Top up the balance, lower maxTokens or shorten the prompt.");
        }

        var hold = new InferenceHold(Guid.NewGuid(), estimateCents);
        _holds[hold.HoldId] = (estimateCents, now + _options.HoldLifetime);
        return hold;
    }

    public async Task SettleAsync(InferenceHold hold, InferenceCharge charge)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(charge.Cents);

        // The charge row first: if the write fails the hold still protects the balance until it expires.
        if (charge.Cents > 0 || charge.InputTokens > 0 || charge.OutputTokens > 0)
        {
            await _store.ChargeAsync(TenantId, charge);
        }

        _holds.Remove(hold.HoldId);
    }

    public async Task<TopUpResult> TopUpAsync(TopUpCommand command)
    {
        if (command.AmountCents <= 0 || command.AmountCents > _options.MaxTopUpCents)
        {
            throw new ValidationException("amountCents", $"amountCents must be between 1 and {_options.MaxTopUpCents}.");
        }

        if (string.IsNullOrWhiteSpace(command.Reference) || command.Reference.Length > 200)
        {
            throw new ValidationException("reference", "reference is required and must be 1-200 characters (it makes the top-up idempotent).");
        }

        if (!await _store.TenantExistsAsync(TenantId))
        {
            throw new NotFoundException("No such tenant.");
        }

        var entryId = $"topup:{command.Reference}";
        var (created, amount, createdAt) = await _store.TopUpAsync(TenantId, entryId, command);
        if (!created && amount != command.AmountCents)
        {
            throw new ConflictException("TOP_UP_REFERENCE_REUSED", "This reference was already used for a top-up of a different amount.");
        }

        return new TopUpResult
        {
            Created = created,
            TopUpId = entryId,
            TenantId = TenantId,
            AmountCents = amount,
            Reference = command.Reference,
            CreatedAt = createdAt,
            BalanceCents = await _store.BalanceAsync(TenantId),
        };
    }
}
