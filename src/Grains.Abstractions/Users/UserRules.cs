using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Users;

/// <summary>Limits, keys and value rules of users and invites (spec L9735–L10040, API-DELTA §8.8).</summary>
public static class UserRules
{
    public const int MaxExternalIdLength = 256;
    public const int MaxEmailLength = 254;
    public const int MaxExternalSubjectLength = 256;

    /// <summary>The history kind of user rows (tenant-level: context '' like tenant-wide entities).</summary>
    public const string HistoryKind = "user";

    public const string TenantHome = "";

    public const string Owner = "OWNER";
    public const string Member = "MEMBER";
    public const string Pending = "PENDING";
    public const string Active = "ACTIVE";

    public static readonly IReadOnlyList<string> Statuses = ["ACTIVE", "SUSPENDED", "PENDING"];
    public static readonly IReadOnlyList<string> Types = ["HUMAN", "SERVICE"];
    public static readonly IReadOnlyList<string> Roles = [Owner, Member];

    /// <summary>Grain key of a user: <c>tenant#id</c>.</summary>
    public static string Key(string tenantId, Guid id) => $"{tenantId}#{id}";

    /// <summary>
    /// Grain key of the invitation of one email in one context. The email is hashed so it never appears in a grain
    /// id (grain ids show up in runtime logs).
    /// </summary>
    public static string InviteKey(string tenantId, string contextId, string email) =>
        $"{tenantId}#{contextId}#{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EmailKey(email))))}";

    /// <summary>How emails are matched: case-insensitively (exists-by-email, invites, uniqueness).</summary>
    public static string EmailKey(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// A plain <c>local@domain</c> address: parsed by <see cref="MailAddress"/>, no display name, no whitespace or
    /// control characters (a header injection guard for the invite mail), a dot in the domain. The 400 never
    /// quotes the value.
    /// </summary>
    public static string CheckEmail(string email, string field = "email")
    {
        if (email.Length is 0 or > MaxEmailLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ValidationException(field, $"{field} must be a valid email address of at most {MaxEmailLength} characters.");
        }

        if (!MailAddress.TryCreate(email, out var parsed) || !string.Equals(parsed.Address, email, StringComparison.Ordinal)
            || parsed.Host.Length < 3 || !parsed.Host.Contains('.', StringComparison.Ordinal) || parsed.Host.StartsWith('[') || email.Count(c => c == '@') != 1)
        {
            throw new ValidationException(field, $"{field} must be a valid email address (local@domain).");
        }

        return email;
    }
}
