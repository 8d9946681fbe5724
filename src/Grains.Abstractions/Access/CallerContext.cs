using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// Who is calling a grain, derived by the front end from the authenticated principal (never from a request
/// body). Grains bind every query to <see cref="TenantId"/> and <see cref="ContextId"/>, stamp writes with
/// <see cref="CredentialId"/>, and check per-type scopes (records, sensitive reveal) with <see cref="Can"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.CallerContext")]
public sealed record CallerContext(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string CredentialId,
    [property: Id(3)] bool IsRoot,
    [property: Id(4)] IReadOnlyList<string> AllowedActions,
    [property: Id(5)] CallerAccess? Access = null)
{
    /// <summary>Whether the caller holds <paramref name="scope"/>, e.g. <c>records:r:patient</c> or <c>records:s:patient</c>.</summary>
    public bool Can(string scope) => ScopeGrammar.IsAllowed(IsRoot, AllowedActions, scope);

    /// <summary>
    /// Whether the caller may do <paramref name="requiredScope"/> on an item owned as <paramref name="item"/>: one clause
    /// must both grant the verb and match the ownership (API-DELTA §8.4), reads narrowed by the data scope and placements
    /// (<see cref="AccessMode.Place"/>: create, and the resulting ownership of an update) checked against it. Root keys and
    /// callers without clauses are decided by the verb alone.
    /// </summary>
    public bool Permits(string requiredScope, ItemOwnership item, AccessMode mode) =>
        IsRoot || Access is null
            ? Can(requiredScope)
            : ScopeGrammar.Permits(Access.Clauses, requiredScope, item, mode, Access.Identity);

    /// <summary>Grain key prefix for context-scoped grains: <c>tenant#context</c>.</summary>
    public string ContextKey => $"{TenantId}#{ContextId}";

    /// <summary>Grain key of an entity inside the caller's context: <c>tenant#context#id</c>.</summary>
    public string KeyFor(string id) => $"{TenantId}#{ContextId}#{id}";
}
