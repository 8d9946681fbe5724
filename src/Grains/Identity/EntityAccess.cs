using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Identity;

/// <summary>
/// An entity as the data scope sees it (issue #9 item 7): its owner and its parents, plus its own <c>ns:id</c>, so a
/// clause over <c>scope:org</c> reaches the org entity itself as well as the entities under it.
/// </summary>
internal static class EntityAccess
{
    public static ItemOwnership Ownership(EntityRow row) => Ownership(row.UserId, row.Namespace, row.Id, row.Scopes);

    public static ItemOwnership Ownership(Guid? userId, string ns, Guid id, IReadOnlyList<string> parents) =>
        CallerPlacement.Ownership(userId, [.. parents, $"{ns}:{id}"]);

    /// <summary>The entity's own dimension, exempt from the clause match on create (API-DELTA §8.3 POST, CL 0.38).</summary>
    public static string OwnDimension(string ns) => "scope:" + ns;

    public static bool Permits(CallerContext caller, string verb, EntityRow row) =>
        caller.Permits(Scope(caller, verb, row.Namespace), Ownership(row), AccessMode.Read);

    /// <summary>
    /// The scope a verb on <paramref name="ns"/> is checked with: <c>entities:&lt;verb&gt;:&lt;ns&gt;</c>, or for the org and
    /// client namespaces the 0.31 <c>orgs:&lt;verb&gt;</c>/<c>clients:&lt;verb&gt;</c> a caller of those views holds instead
    /// (both generations are served side by side; the front end already demanded one of them).
    /// </summary>
    public static string Scope(CallerContext caller, string verb, string ns)
    {
        var modern = $"entities:{verb}:{ns}";
        var legacy = ns switch
        {
            OwnershipScopes.Org => $"orgs:{verb}",
            OwnershipScopes.Client => $"clients:{verb}",
            _ => null,
        };
        return legacy is not null && !caller.Can(modern) && caller.Can(legacy) ? legacy : modern;
    }
}
