using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// Which per-request facts a scoped caller's clauses need (API-DELTA §8.2 Membership, §8.4 placeholders): the
/// namespaces of <c>${{ member.scope.&lt;ns&gt; }}</c>, those of <c>${{ under.self.scope.&lt;ns&gt; }}</c>, and whether
/// <c>${{ under.self.userId }}</c> appears. <see cref="None"/> for the common case, which then costs no lookup at all.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.AccessFactsNeed")]
public sealed record AccessFactsNeed(
    [property: Id(0)] IReadOnlyList<string> MemberNamespaces,
    [property: Id(1)] IReadOnlyList<string> UnderNamespaces,
    [property: Id(2)] bool UnderUser)
{
    public static readonly AccessFactsNeed None = new([], [], false);

    public bool Any => MemberNamespaces.Count > 0 || UnderNamespaces.Count > 0 || UnderUser;

    /// <summary>Scans the clauses' data-scope values for placeholders that resolve against looked-up facts.</summary>
    public static AccessFactsNeed Of(IReadOnlyList<ScopeClause> clauses)
    {
        List<string>? member = null, under = null;
        var underUser = false;
        foreach (var value in clauses.SelectMany(c => c.DataScope).SelectMany(r => r.Values))
        {
            if (value is null || !value.StartsWith("${{", StringComparison.Ordinal) || Placeholder.TryParse(value) is not { } p)
            {
                continue;
            }

            switch (p.Kind)
            {
                case PlaceholderKind.Member:
                    (member ??= []).Add(p.Namespace!);
                    break;
                case PlaceholderKind.UnderSelfScope:
                    (under ??= []).Add(p.Namespace!);
                    break;
                case PlaceholderKind.UnderSelfUser:
                    underUser = true;
                    break;
            }
        }

        return member is null && under is null && !underUser
            ? None
            : new AccessFactsNeed(
                member?.Distinct(StringComparer.Ordinal).ToList() ?? [], under?.Distinct(StringComparer.Ordinal).ToList() ?? [], underUser);
    }
}
