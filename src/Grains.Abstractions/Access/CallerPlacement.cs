using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// The data-scope rules every item family applies on top of <see cref="CallerContext.Permits"/> (issue #9 item 7,
/// API-DELTA §1 "Ownership status codes", §2 RecordRequest, §8.4): the identity stamped on a scoped caller's create,
/// the userId a scoped caller may name, and the status codes of a placement denial. Root keys and clause-less
/// callers pass through (they are decided by the verb alone, as before).
/// </summary>
public static class CallerPlacement
{
    /// <summary>An item's ownership as the data scope sees it, from a typed owner id.</summary>
    public static ItemOwnership Ownership(Guid? userId, IReadOnlyList<string> scopes) => new(userId?.ToString("D"), scopes);

    /// <summary>Whether one clause both grants <paramref name="scope"/> and matches the item's ownership, for a read.</summary>
    public static bool MayRead(this CallerContext caller, string scope, Guid? userId, IReadOnlyList<string> scopes) =>
        caller.Permits(scope, Ownership(userId, scopes), AccessMode.Read);

    /// <summary>Whether the caller is decided by its clauses (a scoped credential), not by the verb alone.</summary>
    public static bool IsScoped(this CallerContext caller) => !caller.IsRoot && caller.Access is not null;

    /// <summary>
    /// The owner a create ends up with: the body's, else the credential's identity user (the identity is the default
    /// stamp, API-DELTA §8.4). Only an id that fits the item's owner column can be stamped.
    /// </summary>
    public static Guid? StampUser(this CallerContext caller, Guid? declared) =>
        declared ?? (caller.IsScoped() && Guid.TryParse(caller.Access!.Identity.UserId, out var user) ? user : null);

    /// <summary>The scopes a create ends up with: the declared ones, else the credential's <c>scope:&lt;ns&gt;</c> identity.</summary>
    public static IReadOnlyList<string> StampScopes(this CallerContext caller, IReadOnlyList<string>? declared) =>
        declared ?? (caller.IsScoped() && caller.Access!.Identity.Scopes.Count > 0
            ? OwnershipScopes.Normalise(caller.Access.Identity.Scopes.Select(kv => $"{kv.Key}:{kv.Value}"))
            : []);

    /// <summary>
    /// Create: a scoped caller bound to a user who names another user needs a clause that grants the verb and constrains
    /// <c>userId</c> by key to admit it (§2 userId row); and the ownership must be placeable by one clause granting the
    /// verb. Either denial is a 403 (§2 "PUT, PATCH codes: a placement denial").
    /// </summary>
    public static void DemandPlacement(this CallerContext caller, string requiredScope, ItemOwnership item)
    {
        if (!caller.IsScoped())
        {
            return;
        }

        DemandOwnUser(caller, requiredScope, item, previousUser: null);
        if (!caller.Permits(requiredScope, item, AccessMode.Place))
        {
            throw new ForbiddenException($"The item's ownership is outside what this credential may place with '{requiredScope}'.");
        }
    }

    /// <summary>
    /// Update: nothing to check when the ownership is unchanged; reassigning <c>userId</c> beyond the caller's authority is
    /// a 403, any other resulting ownership outside the data scope a 400 naming <c>scopes</c> (§1 "Ownership status codes").
    /// </summary>
    public static void DemandReplacement(this CallerContext caller, string requiredScope, ItemOwnership before, ItemOwnership after)
    {
        if (!caller.IsScoped()
            || (before.UserId == after.UserId && before.Scopes.SequenceEqual(after.Scopes, StringComparer.Ordinal)))
        {
            return;
        }

        DemandOwnUser(caller, requiredScope, after, before.UserId);
        if (!caller.Permits(requiredScope, after, AccessMode.Place))
        {
            if (before.UserId != after.UserId && !caller.Permits(requiredScope, after with { Scopes = before.Scopes }, AccessMode.Place))
            {
                throw new ForbiddenException($"Reassigning userId is outside what this credential may place with '{requiredScope}'.");
            }

            throw new ValidationException("scopes", "The resulting ownership is outside this credential's data scope.");
        }
    }

    /// <summary>
    /// The idempotent-create collision (§1): handing back the existing item needs read on it, else the same 400 as any
    /// taken id. Root keys are exempt.
    /// </summary>
    public static bool MayReadExisting(this CallerContext caller, string readScope, ItemOwnership existing) =>
        caller.Permits(readScope, existing, AccessMode.Read);

    /// <summary>
    /// The same caller with the clause rules of <paramref name="dimension"/> opened to any value: how an entity's own
    /// namespace is exempt from the clause match on create (API-DELTA §8.3 POST, CL 0.38).
    /// </summary>
    public static CallerContext Exempting(this CallerContext caller, string dimension)
    {
        if (!caller.IsScoped())
        {
            return caller;
        }

        var any = new DataScopeRule(dimension, [new Placeholder(PlaceholderKind.Any, null, null).Text]);
        var clauses = caller.Access!.Clauses
            .Select(c => c with { DataScope = c.DataScope.Where(r => r.Key != dimension).Append(any).ToList() })
            .ToList();
        return caller with { Access = caller.Access with { Clauses = clauses } };
    }

    /// <summary>
    /// A scoped credential bound to a user may not write another user's id (kept as it was on update) unless a clause
    /// granting the verb names <c>userId</c> itself and admits the item: the identity is not overridable by accident.
    /// </summary>
    private static void DemandOwnUser(CallerContext caller, string requiredScope, ItemOwnership item, string? previousUser)
    {
        var self = caller.Access!.Identity.UserId;
        if (self is null || item.UserId is null || item.UserId == self || item.UserId == previousUser)
        {
            return;
        }

        var constraining = caller.Access.Clauses.Where(c => c.Rule(ScopeGrammar.UserDimension) is not null).ToList();
        if (!ScopeGrammar.Permits(constraining, requiredScope, item, AccessMode.Place, caller.Access.Identity))
        {
            throw new ForbiddenException("userId is stamped from this credential's identity; naming another user needs a clause that constrains userId to admit it.");
        }
    }
}
