namespace Vectros.Grains.Users;

/// <summary>
/// API-DELTA §8.8 "Confinement": a caller confined to an app context (every caller but a root key) reaches only the
/// users holding an access profile (<c>usr_&lt;id&gt;</c>, any status) in that context; the others are 404 or left out of
/// lists. A user invited into the context counts too, until it accepts (when the invitation becomes its profile there):
/// otherwise the context's own backend could not see, resend or activate its invitee. One SQL predicate, used by the
/// by-id reads (<see cref="UserStore.IsVisibleAsync"/>) and the list and lookup queries (<see cref="UserQueryGrain"/>),
/// so the two cannot drift.
/// </summary>
internal static class UserConfinement
{
    /// <summary>
    /// The predicate over SQL expressions (parameters or columns) for the tenant, the context and the user id (a uuid),
    /// e.g. <c>Visible("u.tenant_id", "$5", "u.user_id")</c>.
    /// </summary>
    public static string Visible(string tenant, string context, string userId) =>
        $"""
        (EXISTS (SELECT 1 FROM access_profiles p WHERE p.tenant_id = {tenant} AND p.context_id = {context} AND p.principal_id = 'usr_' || {userId}::text)
         OR EXISTS (SELECT 1 FROM user_invites i WHERE i.tenant_id = {tenant} AND i.context_id = {context} AND i.user_id = {userId}))
        """;
}
