using Microsoft.Extensions.Logging;
using Orleans;
using Vectros.Grains.Abstractions.Domains;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Network;

namespace Vectros.Grains.Domains;

/// <summary>
/// One claimed domain. Verification asks DNS now (no cache) for TXT at <c>_vectros-challenge.&lt;domain&gt;</c> and
/// looks for the claim's value among the answers; several partners may claim the same domain, each with its own value.
/// Once verified a domain stays verified: the check is a proof of control at that time, not a lease.
/// </summary>
public sealed partial class DomainGrain(DomainStore store, IHostResolver resolver, TimeProvider time, ILogger<DomainGrain> logger) : Grain, IDomainGrain
{
    async Task<DomainView> IDomainGrain.GetAsync() => await store.GetAsync(this.GetPrimaryKeyString()) ?? throw NotFound();

    async Task<DomainView> IDomainGrain.VerifyAsync()
    {
        var domain = await store.GetAsync(this.GetPrimaryKeyString()) ?? throw NotFound();
        if (domain.Status == "verified")
        {
            return domain;
        }

        string? error;
        try
        {
            var values = await resolver.ResolveTextAsync(domain.ChallengeName, CancellationToken.None);
            error = values.Contains(domain.ChallengeValue, StringComparer.Ordinal)
                ? null
                : values.Count == 0
                    ? $"No TXT record found at {domain.ChallengeName}."
                    : $"The TXT records at {domain.ChallengeName} ({values.Count}) do not include the expected value.";
        }
        catch (HostResolutionException e)
        {
            error = e.Message;
        }

        var checkedDomain = await store.RecordCheckAsync(domain.DomainId, error is null, error, time.GetUtcNow()) ?? throw NotFound();
        LogChecked(logger, domain.Domain, error is null);
        return error is null
            ? checkedDomain
            : throw new ConflictException("DOMAIN_NOT_VERIFIED", $"{domain.Domain} is not verified: {error} Publish TXT \"{domain.ChallengeValue}\" at {domain.ChallengeName} and try again.");
    }

    async Task IDomainGrain.DeleteAsync()
    {
        if (!await store.DeleteAsync(this.GetPrimaryKeyString()))
        {
            throw NotFound();
        }
    }

    private static NotFoundException NotFound() => new("No domain exists with this id.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain check of {Domain}: verified {Verified}")]
    private static partial void LogChecked(ILogger logger, string domain, bool verified);
}
