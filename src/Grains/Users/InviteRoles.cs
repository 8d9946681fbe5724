using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Users;

/// <summary>
/// The <c>roleId</c> of an invite's access profile. Seam: roles are built by issue #9 item 2 (the access work);
/// until their table is on this branch only the id's format is checked (spec L5912: the app-context id rule). Once
/// roles land, this becomes "the role must exist in the invite's context → 400" (API-DELTA §8.8).
/// </summary>
internal static partial class InviteRoles
{
    public static void Check(string? roleId)
    {
        if (roleId is not null && !RoleId().IsMatch(roleId))
        {
            throw new ValidationException("accessProfile.roleId", "accessProfile.roleId must be 3-31 characters: a lower-case letter, then lower-case letters, digits or '-'.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{2,30}$")]
    private static partial Regex RoleId();
}
