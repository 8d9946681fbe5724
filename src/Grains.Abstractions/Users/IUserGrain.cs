using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Users;

/// <summary>
/// One account-wide user, keyed <c>tenant#id</c> (<see cref="UserRules.Key"/>); ids are UUIDv7 chosen by the front
/// end. The grain owns its writes: the row, its lookup rows and its history row go in one transaction guarded by
/// the version it last saw. An id of another tenant is a 404, exactly like a missing one.
/// </summary>
[Alias("vectros.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user under this id; an externalId already held answers with that user (or upserts it).</summary>
    Task<UserCreateResult> CreateAsync(CallerContext caller, UserWrite write, bool upsert);

    /// <summary>Idempotent-create match: this user already holds the externalId; returned unchanged, or upserted.</summary>
    Task<UserCreateResult> MatchExternalIdAsync(CallerContext caller, UserWrite write, bool upsert);

    /// <summary>The user, sensitive values masked unless the caller may reveal them.</summary>
    [ReadOnly]
    Task<UserView> GetAsync(CallerContext caller);

    /// <summary>PUT: given fields replace (payload whole), omitted ones stay; also activates a PENDING (invited) user.</summary>
    Task<UserView> UpdateAsync(CallerContext caller, UserWrite write);

    /// <summary>Hard delete of the row, its lookup rows and any invitation; refused for the account's last OWNER.</summary>
    Task DeleteAsync(CallerContext caller);

    /// <summary>History newest first, also after a delete; 404 when the id has none.</summary>
    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, string? startFrom, int limit);
}
