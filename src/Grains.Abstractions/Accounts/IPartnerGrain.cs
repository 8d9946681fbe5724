using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>A partner account, keyed by its UUIDv7 partner id.</summary>
[Alias("vectros.IPartnerGrain")]
public interface IPartnerGrain : IGrainWithGuidKey
{
    /// <summary>Creates the partner, its live and test tenants, their reserved contexts and one root key each.</summary>
    Task<PartnerCreated> CreateAsync(CreatePartnerCommand command);
}
