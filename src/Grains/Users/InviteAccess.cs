using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.Access;

namespace Vectros.Grains.Users;

/// <summary>
/// The access profile an invitation carries (spec AccessProfileSpec L9930; API-DELTA §8.8): checked when the invite is
/// issued with the rules a profile write uses (the role must exist in the context, inline scopes pass the one grammar,
/// a scoped inviter cannot hand out more than it holds), and turned into the user's access profile when the invite is
/// accepted. 400s name the <c>accessProfile.*</c> field.
/// </summary>
internal static partial class InviteAccess
{
    private const string RoleField = "accessProfile.roleId";
    private const string ScopesField = "accessProfile.scopes";

    /// <summary>Validates the invite's grant in its context, for this inviter.</summary>
    public static async Task CheckAsync(IGrainFactory grains, CallerContext caller, InviteCommand command)
    {
        // Accepting writes a profile in the invite's context: a scoped caller administers its own context only (§8.5).
        if (!caller.IsRoot && !string.Equals(command.ContextId, caller.ContextId, StringComparison.Ordinal))
        {
            throw new ForbiddenException("A scoped caller may invite only into its own app context.");
        }

        if (command.RoleId is { } roleId)
        {
            if (!RoleId().IsMatch(roleId))
            {
                throw new ValidationException(RoleField, "accessProfile.roleId must be 3-31 characters: a lower-case letter, then lower-case letters, digits or '-'.");
            }

            var clauses = await grains.GetGrain<IAccessRoleGrain>(AccessKeys.Of(caller.TenantId, command.ContextId, roleId)).GetClausesAsync()
                ?? throw new ValidationException(RoleField, "accessProfile.roleId does not name a role in this app context.");
            ProfileAuthority.CheckCap(Actor(caller), clauses, null, RoleField);
            return;
        }

        if (command.Scopes is { } given)
        {
            var scopes = await AccessClauses.ValidateAsync(grains, caller.TenantId, command.ContextId, given, ScopesField);
            ProfileAuthority.CheckCap(Actor(caller), scopes, null, ScopesField);
        }
    }

    /// <summary>
    /// The profile write an accepted invitation makes, from the stored AccessProfileSpec JSON (<c>roleId</c> or
    /// <c>scopes</c>); null when the row holds neither (an invitation stored before profiles were created on acceptance).
    /// </summary>
    public static ProfileWrite? ToProfile(string accessProfileJson)
    {
        using var doc = JsonDocument.Parse(accessProfileJson);
        var root = doc.RootElement;
        if (root.TryGetProperty("roleId", out var role) && role.ValueKind == JsonValueKind.String)
        {
            return new ProfileWrite(null, role.GetString(), null, null);
        }

        return root.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array
            ? new ProfileWrite(ScopeClauseJson.Read(scopes, ScopesField), null, null, null)
            : null;
    }

    /// <summary>The inviter as a profile writer: root keys are exempt from the cap; a scoped caller brings its clauses.</summary>
    private static AccessActor Actor(CallerContext caller) =>
        new(caller, null, caller.IsRoot ? [] : caller.Access?.Clauses ?? [new ScopeClause(caller.AllowedActions, [], [])],
            new Dictionary<string, string>());

    [GeneratedRegex("^[a-z][a-z0-9-]{2,30}$")]
    private static partial Regex RoleId();
}
