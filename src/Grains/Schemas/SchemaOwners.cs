using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// Who owns a schema (its <c>userId</c> and ownership scopes) and which <c>basedOn</c> variant applies to an owner
/// (issue #7 item 5, SDK CHANGELOG 0.37.0 "recordType resolution now shadows by ownership").
/// </summary>
internal static class SchemaOwners
{
    /// <summary>Same owner: equal userId and the same set of scope entries (null and [] are both "shared").</summary>
    public static bool Same(SchemaDefinition a, SchemaDefinition b) =>
        a.UserId == b.UserId
        && (a.Scopes ?? []).Order(StringComparer.Ordinal).SequenceEqual((b.Scopes ?? []).Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>
    /// The variant whose owner matches: a userId variant needs the same userId (and any scopes it also declares); a
    /// scope variant needs all its entries among <paramref name="scopes"/>. A userId variant wins, then the variant
    /// whose namespace ranks highest (unregistered namespaces rank lowest), then the newest. Null: the base applies.
    /// </summary>
    public static SchemaView? Resolve(
        IReadOnlyList<SchemaView> variants, Guid? userId, IReadOnlyList<string> scopes, IReadOnlyDictionary<string, int> ranks)
    {
        if (userId is null && scopes.Count == 0)
        {
            return null;
        }

        return variants
            .Where(v => Matches(v.Definition, userId, scopes))
            .OrderByDescending(v => v.Definition.UserId is not null)
            .ThenByDescending(v => Rank(v.Definition, ranks))
            .ThenByDescending(v => v.CreatedAt)
            .ThenByDescending(v => v.Id)
            .FirstOrDefault();
    }

    private static bool Matches(SchemaDefinition variant, Guid? userId, IReadOnlyList<string> scopes)
    {
        var declared = variant.Scopes ?? [];
        if (variant.UserId is null && declared.Count == 0)
        {
            return false;
        }

        return (variant.UserId is null || variant.UserId == userId) && declared.All(e => scopes.Contains(e, StringComparer.Ordinal));
    }

    private static long Rank(SchemaDefinition variant, IReadOnlyDictionary<string, int> ranks) =>
        (variant.Scopes ?? []).Select(e => ranks.TryGetValue(e[..e.IndexOf(':', StringComparison.Ordinal)], out var r) ? r : -1L)
            .DefaultIfEmpty(-1L).Max();
}
