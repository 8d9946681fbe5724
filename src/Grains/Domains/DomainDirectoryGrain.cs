using System.Security.Cryptography;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Domains;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Domains;

/// <summary>Claims and lists domains; the table is the state, so any number of activations may serve.</summary>
[StatelessWorker]
public sealed class DomainDirectoryGrain(DomainStore store) : Grain, IDomainDirectoryGrain
{
    /// <summary>A partner may hold this many claimed domains (verified or not).</summary>
    public const int MaxDomainsPerPartner = 50;

    async Task<DomainView> IDomainDirectoryGrain.ClaimAsync(Guid partnerId, string domain)
    {
        var name = DomainNames.Normalize(domain);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        try
        {
            var claimed = await store.ClaimAsync("dom_" + Guid.CreateVersion7().ToString("N"), partnerId, name, token, MaxDomainsPerPartner)
                ?? throw new NotFoundException("No partner exists with this id.");
            return claimed.View with { Created = claimed.Created };
        }
        catch (DomainLimitException)
        {
            throw new ConflictException("DOMAIN_LIMIT_REACHED", $"A partner may claim at most {MaxDomainsPerPartner} domains; delete one first.");
        }
    }

    Task<IReadOnlyList<DomainView>> IDomainDirectoryGrain.ListAsync(Guid partnerId) => store.ListAsync(partnerId);

    Task<bool> IDomainDirectoryGrain.CoversAsync(Guid partnerId, string host) => store.CoversAsync(partnerId, host);
}
