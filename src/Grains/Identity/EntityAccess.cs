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
        caller.Permits($"entities:{verb}:{row.Namespace}", Ownership(row), AccessMode.Read);
}
