using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>Constants of namespace registrations shared by the front end and the grains (API-DELTA-0.40 §8.2).</summary>
public static class NamespaceRules
{
    /// <summary>
    /// The home context of tenant-wide registrations and of their entities. No app context can have this id
    /// (context ids are 3-31 characters), so a context's teardown never reaches what the whole tenant shares.
    /// </summary>
    public const string TenantHome = "";

    public const int MinRank = 0;
    public const int MaxRank = 1_000_000;

    public const int MaxMembershipLevels = 32;

    /// <summary>History entity kind of an entity: one per namespace, so an id read under the wrong namespace has no history.</summary>
    public static string EntityKind(string ns) => "entity:" + ns;

    /// <summary>The registrations every tenant starts with (API-DELTA §15 item 1): tenant-wide and entity-backed.</summary>
    public static readonly IReadOnlyList<(string Namespace, int Rank)> Seeded = [(OwnershipScopes.Org, 1000), (OwnershipScopes.Client, 2000)];
}
