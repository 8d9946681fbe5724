using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>AccessProfileSpec (spec L9930): exactly one of <c>roleId</c> or <c>scopes</c> (ScopeClause objects).</summary>
public sealed record AccessProfileSpec(string? RoleId, JsonArray? Scopes);

/// <summary>CreateInviteRequest (spec L9954), the body of both invite routes.</summary>
public sealed record CreateInviteRequest(
    string? Email,
    string? ContextId,
    AccessProfileSpec? AccessProfile,
    string? FirstName,
    string? LastName,
    string? AcceptUrl,
    string? FromName,
    long? TtlSeconds,
    bool? SendEmail)
{
    public const long MinTtlSeconds = 3600;
    public const long MaxTtlSeconds = 2_592_000;
    public const long DefaultTtlSeconds = 604_800;

    public bool Sends => SendEmail ?? true;

    /// <summary>The grain command; <c>acceptUrl</c>, <c>fromName</c> and <c>sendEmail</c> stay with the front end, which delivers.</summary>
    public InviteCommand ToCommand()
    {
        var email = UserRules.CheckEmail(Email ?? throw new ValidationException("email", "email is required."));
        var contextId = ContextId ?? throw new ValidationException("contextId", "contextId is required.");
        if (contextId.Length is < 3 or > 31 || !contextId.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || contextId[0] is < 'a' or > 'z')
        {
            // An id that cannot exist is as absent as a missing one (spec L4924: 404 for the context).
            throw new NotFoundException("The app context does not exist in your account.");
        }

        var profile = AccessProfile ?? throw new ValidationException("accessProfile", "accessProfile is required (exactly one of roleId or scopes).");
        if ((profile.RoleId is null) == (profile.Scopes is null))
        {
            throw new ValidationException("accessProfile", "accessProfile needs exactly one of roleId or scopes.");
        }

        if (profile.Scopes is { } scopes && (scopes.Count is 0 or > 50 || scopes.Any(s => s is not JsonObject)))
        {
            throw new ValidationException("accessProfile.scopes", "accessProfile.scopes must be 1-50 scope clause objects.");
        }

        if (FirstName is { Length: > 100 } || LastName is { Length: > 100 })
        {
            throw new ValidationException(FirstName is { Length: > 100 } ? "firstName" : "lastName", "Names must be at most 100 characters.");
        }

        if (FirstName is not null && FirstName.Any(char.IsControl))
        {
            throw new ValidationException("firstName", "firstName must not contain control characters or newlines.");
        }

        if (FromName is { } from && (from.Length is 0 or > 100 || from.Any(char.IsControl)))
        {
            throw new ValidationException("fromName", "fromName must be 1-100 characters without newlines.");
        }

        var ttl = TtlSeconds ?? DefaultTtlSeconds;
        if (ttl is < MinTtlSeconds or > MaxTtlSeconds)
        {
            throw new ValidationException("ttlSeconds", $"ttlSeconds must be between {MinTtlSeconds} and {MaxTtlSeconds}.");
        }

        if (Sends || AcceptUrl is not null)
        {
            CheckAcceptUrl(AcceptUrl);
        }

        return new InviteCommand
        {
            Email = email,
            ContextId = contextId,
            AccessProfileJson = JsonSerializer.Serialize(profile, Http.ApiJson.Response),
            RoleId = profile.RoleId,
            Scopes = profile.Scopes is { } clauses ? ScopeClauseJson.Read(JsonSerializer.SerializeToElement(clauses), "accessProfile.scopes") : null,
            FirstName = FirstName,
            Ttl = TimeSpan.FromSeconds(ttl),
        };
    }

    /// <summary>The accept link: <c>acceptUrl</c> with the token as the <c>t</c> query parameter.</summary>
    public string? AcceptLink(string token) =>
        AcceptUrl is null ? null : AcceptUrl + (AcceptUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "t=" + Uri.EscapeDataString(token);

    /// <summary>Spec L9990: an https URL with a domain-name host (IP literals refused); required when sendEmail is true.</summary>
    private static void CheckAcceptUrl(string? acceptUrl)
    {
        if (acceptUrl is null)
        {
            throw new ValidationException("acceptUrl", "acceptUrl is required when sendEmail is true.");
        }

        if (acceptUrl.Length > 2048 || !Uri.TryCreate(acceptUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps
            || uri.HostNameType != UriHostNameType.Dns || !uri.Host.Contains('.', StringComparison.Ordinal) || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            throw new ValidationException("acceptUrl", "acceptUrl must be an https URL with a domain-name host (no IP literal, credentials or fragment).");
        }
    }
}

/// <summary>CreateInviteResponse (spec L9906): the raw token and link only when the caller delivers the mail itself.</summary>
public sealed record CreateInviteResponse(string UserId, string InviteExpiresAt, bool EmailSent, string? InviteToken, string? AcceptLink);
