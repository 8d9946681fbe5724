namespace Vectros.Grains.Users;

/// <summary>
/// API-DELTA §8.8 "Confinement": a caller confined to an app context (every caller but a root key) reaches only the
/// users holding an access profile (<c>usr_&lt;id&gt;</c>, any status) in that context; the others are 404 or left out of
/// lists. One SQL predicate, used by the by-id reads (<see cref="UserStore.HasProfileAsync"/>) and by the list and
/// lookup queries (<see cref="UserQueryGrain"/>), so the two cannot drift.
/// </summary>
internal static class UserConfinement
{
    /// <summary>
    /// <c>EXISTS</c> over <c>access_profiles</c> for the tenant, context and principal given as SQL expressions (parameters
    /// or columns), e.g. <c>ProfileExists("u.tenant_id", "$5", "'usr_' || u.user_id::text")</c>.
    /// </summary>
    public static string ProfileExists(string tenant, string context, string principal) =>
        $"EXISTS (SELECT 1 FROM access_profiles p WHERE p.tenant_id = {tenant} AND p.context_id = {context} AND p.principal_id = {principal})";

    /// <summary>The principal id of the row <c>u</c> of <c>users</c>, as stored in <c>access_profiles</c> (a uuid's text is its lower-case 'D' form).</summary>
    public const string UserPrincipal = "'usr_' || u.user_id::text";
}
