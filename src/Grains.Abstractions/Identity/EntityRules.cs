using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>Limits, keys and the parent rules of identity entities (API-DELTA-0.40 §8.3).</summary>
public static class EntityRules
{
    public const int MaxNameLength = 200;
    public const int MaxExternalIdLength = 256;

    public static readonly IReadOnlyList<string> Statuses = ["ACTIVE", "SUSPENDED"];

    /// <summary>Grain key of an entity: <c>tenant#home#id</c> (home = owning context, or '' for a tenant-wide namespace).</summary>
    public static string Key(string tenantId, string home, Guid id) => $"{tenantId}#{home}#{id}";

    /// <summary>Key of the query grain of one home: <c>tenant#home</c>.</summary>
    public static string QueryKey(string tenantId, string home) => $"{tenantId}#{home}";

    /// <summary>
    /// An entity's parents: at most two <c>ns:value</c> entries, each in a different namespace. The entity's own
    /// <c>ns:id</c> is ignored (an entity is always in its own scope); any other value of its own namespace is a 400.
    /// </summary>
    public static IReadOnlyList<string> Parents(IReadOnlyList<string> entries, string ns, Guid id, string field = "scopes")
    {
        var parents = new List<string>(entries.Count);
        foreach (var entry in entries)
        {
            if (entry is null)
            {
                throw new ValidationException(field, $"{field} must be an array of 'namespace:value' strings.");
            }

            var (entryNs, value) = OwnershipScopes.Parse(entry, field);
            if (entryNs == ns)
            {
                if (Guid.TryParse(value, out var self) && self == id)
                {
                    continue;
                }

                throw new ValidationException(field,
                    $"{field}: an entity's parents are in other namespaces; a '{ns}' entry other than the entity itself is not allowed.");
            }

            parents.Add(entry);
        }

        return OwnershipScopes.Normalise(parents, field);
    }
}
