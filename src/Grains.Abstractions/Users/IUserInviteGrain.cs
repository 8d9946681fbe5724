using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Users;

/// <summary>
/// The invitation of one email into one app context, keyed <see cref="UserRules.InviteKey"/>: a turn-based grain,
/// so two invites of the same email into the same context cannot interleave.
/// </summary>
[Alias("vectros.IUserInviteGrain")]
public interface IUserInviteGrain : IGrainWithStringKey
{
    /// <summary>
    /// <c>POST /v1/users/invite</c> (<paramref name="resendOnly"/> false) or <c>…/resend</c> (true): creates the
    /// PENDING user and the invitation, or rotates the token of the outstanding one. The raw token is returned to the
    /// front end for delivery and never stored.
    /// </summary>
    Task<InviteIssued> InviteAsync(CallerContext caller, InviteCommand command, bool resendOnly);
}
