using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// The data-scope steps every owned item (documents, folders) takes through <see cref="CallerContext.Permits"/>, the one
/// evaluator: reads narrowed, creates stamped with the credential's identity and their placement checked, and an
/// update's resulting ownership checked with the status codes of API-DELTA §1 "Ownership status codes".
/// </summary>
public static class OwnershipAccess
{
    /// <summary>An item's ownership as the data scope sees it (user ids in their canonical <c>D</c> form).</summary>
    public static ItemOwnership Of(Guid? userId, IReadOnlyList<string> scopes) => new(userId?.ToString("D"), scopes);

    /// <summary>Whether one clause both grants <paramref name="scope"/> and matches the item's ownership, for a read.</summary>
    public static bool MayRead(this CallerContext caller, string scope, Guid? userId, IReadOnlyList<string> scopes) =>
        caller.Permits(scope, Of(userId, scopes), AccessMode.Read);

    /// <summary>
    /// The owner a create lands with: the body's, else the credential's identity (its <c>identity.userId</c>, else its
    /// bound user). Ids that are not Vectros user ids cannot own an item and are not stamped.
    /// </summary>
    public static Guid? StampUserId(this CallerContext caller, Guid? given) =>
        given ?? (Guid.TryParseExact(caller.Access?.StampUserId, "D", out var id) ? id : null);

    /// <summary>
    /// The scopes a create lands with: a declaration (0.40 <c>scopes</c>, or the 0.31 owner fields) stands; without one,
    /// the credential's <c>scope:&lt;ns&gt;</c> identity values are stamped (API-DELTA §2 "Omitted: identity stamped on create").
    /// </summary>
    public static IReadOnlyList<string>? StampScopes(this CallerContext caller, IReadOnlyList<string>? declared, bool legacyGiven)
    {
        if (declared is not null || legacyGiven || caller.Access is not { Identity.Scopes.Count: > 0 } access)
        {
            return declared;
        }

        return OwnershipScopes.Normalise(access.Identity.Scopes.Select(kv => $"{kv.Key}:{kv.Value}"));
    }

    /// <summary>A create's placement: one clause must grant <paramref name="scope"/> and admit the new ownership, else 403.</summary>
    public static void DemandPlacement(this CallerContext caller, string scope, Guid? userId, IReadOnlyList<string> scopes)
    {
        if (!caller.Permits(scope, Of(userId, scopes), AccessMode.Place))
        {
            throw new ForbiddenException($"The '{scope}' scope does not allow placing an item with this ownership (userId and scopes).");
        }
    }

    /// <summary>
    /// An update's resulting ownership, checked only when it changes (an unchanged ownership places nothing new):
    /// reassigning <c>userId</c> outside the data scope is 403, any other ownership leaving it is 400 (API-DELTA §1).
    /// </summary>
    public static void DemandReplacement(
        this CallerContext caller, string scope, Guid? userIdBefore, IReadOnlyList<string> scopesBefore, Guid? userIdAfter, IReadOnlyList<string> scopesAfter)
    {
        if (userIdBefore == userIdAfter && scopesBefore.SequenceEqual(scopesAfter, StringComparer.Ordinal))
        {
            return;
        }

        if (caller.Permits(scope, Of(userIdAfter, scopesAfter), AccessMode.Place))
        {
            return;
        }

        throw userIdBefore != userIdAfter
            ? new ForbiddenException("Your credential's data scope does not allow assigning this userId.")
            : new ValidationException("scopes", "The resulting ownership (userId and scopes) is outside your credential's data scope.");
    }
}
