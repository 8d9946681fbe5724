namespace Vectros.Grains.Erasure;

/// <summary>
/// A resolved erasure subject. Ownership is one model (DESIGN §5a): a row carries <c>user_id</c> plus at most two
/// <c>ns:value</c> scopes. A user subject owns through <see cref="UserId"/>, a namespace subject through the scope
/// <see cref="Scope"/> (<c>org:&lt;entityId&gt;</c>, <c>client:…</c>, or a tenant's own namespace).
/// <para>
/// A row is <b>solely owned</b> by the subject when its ownership is the subject and nothing else: for a user,
/// <c>user_id = U</c> and no scopes; for a namespace subject, no <c>user_id</c> and exactly the one scope. A row that
/// names the subject among other owners is <b>shared</b>: reported, never erased.
/// </para>
/// </summary>
/// <param name="IdentityKind"><c>user</c>, <c>entity</c>, or null for a free-form namespace (no identity row).</param>
/// <param name="IdentityHome">Where the identity row lives: '' for users and tenant-wide namespaces, else the owning context.</param>
internal sealed record ErasureSubject(
    string SubjectType, string SubjectId, Guid? UserId, string? Scope, string? IdentityKind, Guid? IdentityId, string IdentityHome)
{
    public const string UserIdentity = "user";
    public const string EntityIdentity = "entity";

    /// <summary>The version-history kind of the identity row (users: <c>user</c>, entities: <c>entity:&lt;ns&gt;</c>).</summary>
    public string? HistoryKind => IdentityKind switch
    {
        UserIdentity => Abstractions.Users.UserRules.HistoryKind,
        EntityIdentity => Abstractions.Identity.NamespaceRules.EntityKind(SubjectType),
        _ => null,
    };

    /// <summary>
    /// SQL predicates over a row aliased <c>t</c> with <c>user_id</c> and <c>scopes</c>, given the subject as
    /// parameters <paramref name="u"/> (uuid, null for a namespace subject) and <paramref name="s"/> (text, null for a user).
    /// </summary>
    public static string Involves(string u, string s) =>
        $"(({u}::uuid IS NOT NULL AND t.user_id = {u}::uuid) OR ({s}::text IS NOT NULL AND t.scopes @> ARRAY[{s}::text]))";

    /// <inheritdoc cref="Involves"/>
    public static string SolelyOwned(string u, string s) =>
        $"(({u}::uuid IS NOT NULL AND t.user_id = {u}::uuid AND cardinality(t.scopes) = 0) " +
        $"OR ({s}::text IS NOT NULL AND t.user_id IS NULL AND t.scopes = ARRAY[{s}::text]))";
}
