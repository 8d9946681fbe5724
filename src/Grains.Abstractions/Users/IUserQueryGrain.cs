using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Users;

/// <summary>User list, lookup and exists-by-email queries of one tenant; a stateless worker keyed by the tenant id.</summary>
[Alias("vectros.IUserQueryGrain")]
public interface IUserQueryGrain : IGrainWithStringKey
{
    /// <summary><c>GET /v1/users</c> and <c>POST /v1/users/lookup</c>.</summary>
    Task<UserPage> ListAsync(CallerContext caller, UserListQuery query);

    /// <summary><c>GET /v1/users/exists-by-email</c>: matched case-insensitively; <c>exists</c> only for an active user.</summary>
    Task<UserExists> ExistsByEmailAsync(CallerContext caller, string email, string contextId);

    /// <summary>
    /// The emails of these users (one query for a whole page; API-DELTA §8.5 AccessProfileResponse.email): users without
    /// an email, unknown ids and, for a confined caller, users outside its context are left out.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, string>> EmailsAsync(CallerContext caller, IReadOnlyList<Guid> userIds);
}
