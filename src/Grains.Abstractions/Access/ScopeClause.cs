using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// One scope clause of a role, an access profile, an invite or a token (spec ScopeClause L5680, API-DELTA §8.4):
/// the verbs it grants, the ownership it matches and the named capabilities it carries. Access is allowed when one
/// clause both grants the verb and matches the item's ownership. <see cref="DataScope"/> keeps the keys in the order
/// they were written so a repeated key can be refused; <see cref="ScopeGrammar.ValidateClause"/> checks the rest.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ScopeClause")]
public sealed record ScopeClause(
    [property: Id(0)] IReadOnlyList<string> AllowedActions,
    [property: Id(1)] IReadOnlyList<DataScopeRule> DataScope,
    [property: Id(2)] IReadOnlyList<string> GrantedCapabilities)
{
    /// <summary>The rule for one data_scope key (<c>userId</c>, <c>scope:&lt;ns&gt;</c> or <c>*</c>), if the clause names it.</summary>
    public DataScopeRule? Rule(string key) => DataScope.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal));
}

/// <summary>One data_scope entry: a dimension key and the values it admits (ids, <c>null</c>, or <c>${{ … }}</c> placeholders).</summary>
[GenerateSerializer, Immutable, Alias("vectros.DataScopeRule")]
public sealed record DataScopeRule([property: Id(0)] string Key, [property: Id(1)] IReadOnlyList<string?> Values);

/// <summary>Reads or places: a dimension the clause does not name does not narrow a read, but permits no placement.</summary>
public enum AccessMode
{
    Read,
    Place,
}

/// <summary>An item's ownership as the data scope sees it: its <c>userId</c> and its <c>ns:value</c> scopes.</summary>
public sealed record ItemOwnership(string? UserId, IReadOnlyList<string> Scopes);

/// <summary>A membership record of the caller (§8.2): the namespace value it grants and its level, if the namespace declares levels.</summary>
[GenerateSerializer, Immutable, Alias("vectros.MembershipFact")]
public sealed record MembershipFact([property: Id(0)] string Namespace, [property: Id(1)] string Value, [property: Id(2)] string? Level);

/// <summary>
/// An immediate parent link, for <c>${{ under.self.* }}</c>: <see cref="Value"/> in <see cref="Dimension"/>
/// (<c>userId</c> or <c>scope:&lt;ns&gt;</c>) has the parent <see cref="Parent"/> (<c>userId:&lt;id&gt;</c> or <c>scope:&lt;ns&gt;:&lt;value&gt;</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ChildFact")]
public sealed record ChildFact([property: Id(0)] string Dimension, [property: Id(1)] string Value, [property: Id(2)] string Parent);

/// <summary>
/// What the placeholders of a data scope resolve against: the caller's own identity (user id and identity scopes,
/// e.g. from a profile's identityOverrides), and the membership and parent facts looked up for this request
/// (resolution happens per request, so a revoked membership takes effect at once).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.AccessIdentity")]
public sealed record AccessIdentity(
    [property: Id(0)] string? UserId,
    [property: Id(1)] IReadOnlyDictionary<string, string> Scopes,
    [property: Id(2)] IReadOnlyList<MembershipFact> Memberships,
    [property: Id(3)] IReadOnlyList<ChildFact> Children)
{
    public static readonly AccessIdentity None = new(null, new Dictionary<string, string>(), [], []);
}
