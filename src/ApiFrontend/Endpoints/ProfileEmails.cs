using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// AccessProfileResponse.email (API-DELTA §8.5): set only for a <c>usr_</c> principal that resolves to a user with an
/// email, and only when the caller also holds <c>users:r</c> (reading a profile must not become a way to read users).
/// A page resolves every email in one query; a caller confined to a context gets only the emails of users it reaches.
/// </summary>
internal static class ProfileEmails
{
    public static async Task<IReadOnlyList<AccessProfileResponse>> ResponsesAsync(
        HttpContext context, IGrainFactory grains, IReadOnlyList<AccessProfileView> views, bool? created = null)
    {
        var emails = await ResolveAsync(context, grains, views);
        return views.Select(v => AccessProfileResponse.From(v, created, UserId(v) is { } id ? emails.GetValueOrDefault(id) : null)).ToList();
    }

    public static async Task<AccessProfileResponse> ResponseAsync(HttpContext context, IGrainFactory grains, AccessProfileView view, bool? created = null) =>
        (await ResponsesAsync(context, grains, [view], created))[0];

    private static async Task<IReadOnlyDictionary<Guid, string>> ResolveAsync(HttpContext context, IGrainFactory grains, IReadOnlyList<AccessProfileView> views)
    {
        var caller = context.GetCaller();
        var ids = views.Select(UserId).OfType<Guid>().ToList();
        return ids.Count == 0 || !caller.Can("users:r")
            ? new Dictionary<Guid, string>()
            : await grains.GetGrain<IUserQueryGrain>(caller.TenantId).EmailsAsync(caller, ids);
    }

    /// <summary>The user id of a <c>usr_&lt;uuid&gt;</c> principal; a <c>usr_</c> suffix that is not a uuid names no user.</summary>
    private static Guid? UserId(AccessProfileView view) =>
        PrincipalIds.IsUser(view.PrincipalId) && Guid.TryParse(view.PrincipalId[PrincipalIds.UserPrefix.Length..], out var id) ? id : null;
}
