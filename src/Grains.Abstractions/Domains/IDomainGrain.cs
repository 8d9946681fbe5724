using Orleans;

namespace Vectros.Grains.Abstractions.Domains;

/// <summary>One claimed domain (key: its <c>dom_…</c> id): read, verify through DNS, delete.</summary>
public interface IDomainGrain : IGrainWithStringKey
{
    /// <summary>Throws NotFound when no such domain exists.</summary>
    Task<DomainView> GetAsync();

    /// <summary>Looks up the TXT challenge now; verified on a match, else a conflict saying what was found.</summary>
    Task<DomainView> VerifyAsync();

    Task DeleteAsync();
}
