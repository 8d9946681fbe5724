using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// UserRequest (spec L9810) for POST and PUT, plus <c>role</c> (OWNER | MEMBER), the Vectros extension behind the
/// delta's last-OWNER rule (§8.8; only a root key may change it). On PUT a null keeps the stored value;
/// <c>payload</c>, when given, replaces the stored one whole.
/// </summary>
public sealed record UserRequest(
    string? ExternalId,
    string? Email,
    string? Status,
    string? Type,
    string? Role,
    JsonObject? Payload,
    string? SchemaId,
    string? InviteToken,
    string? ExternalSubject,
    bool? EmailVerifiedAttestation)
{
    public UserWrite ToWrite(bool create)
    {
        if (create && ExternalId is null)
        {
            throw new ValidationException("externalId", "externalId is required.");
        }

        if (ExternalId is { Length: 0 or > UserRules.MaxExternalIdLength })
        {
            throw new ValidationException("externalId", $"externalId must be 1-{UserRules.MaxExternalIdLength} characters.");
        }

        if (ExternalSubject is { Length: 0 or > UserRules.MaxExternalSubjectLength })
        {
            throw new ValidationException("externalSubject", $"externalSubject must be 1-{UserRules.MaxExternalSubjectLength} characters.");
        }

        return new UserWrite
        {
            ExternalId = ExternalId,
            Email = Email is null ? null : UserRules.CheckEmail(Email),
            Status = OneOf("status", Status, UserRules.Statuses),
            Type = OneOf("type", Type, UserRules.Types),
            Role = OneOf("role", Role, UserRules.Roles),
            Payload = Payload,
            SchemaId = SchemaId is null ? null
                : Guid.TryParse(SchemaId, out var id) ? id
                : throw new ValidationException("schemaId", "schemaId must be a schema id (UUID)."),
            InviteToken = InviteToken is { Length: > 1024 } ? throw new ValidationException("inviteToken", "inviteToken is not a valid invitation token.") : InviteToken,
            ExternalSubject = ExternalSubject,
            EmailVerifiedAttestation = EmailVerifiedAttestation,
        };
    }

    private static string? OneOf(string field, string? value, IReadOnlyList<string> allowed) =>
        value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new ValidationException(field, $"{field} must be one of {string.Join(", ", allowed)}.");
}

/// <summary>UserResponse (spec L9735) plus <c>role</c>. <c>created</c> appears only on create responses.</summary>
public sealed record UserResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public required string Id { get; init; }

    public required string ExternalId { get; init; }

    public string? Email { get; init; }

    public required string Status { get; init; }

    public required string Type { get; init; }

    public required string Role { get; init; }

    public required JsonElement Payload { get; init; }

    public string? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public required string CreatedAt { get; init; }

    public string? ExternalSubject { get; init; }

    public static UserResponse From(UserView view, bool? created = null) => new()
    {
        Created = created,
        Id = view.Id.ToString(),
        ExternalId = view.ExternalId,
        Email = view.Email,
        Status = view.Status,
        Type = view.Type,
        Role = view.Role,
        Payload = view.Payload,
        SchemaId = view.SchemaId?.ToString(),
        SchemaVersion = view.SchemaVersion,
        CreatedAt = Timestamps.Format(view.CreatedAt),
        ExternalSubject = view.ExternalSubject,
    };

    public static PageResponse<UserResponse> Page(UserPage page) => new(page.Data.Select(v => From(v)).ToList(), page.NextCursor);
}

/// <summary>UserExistsResponse (API-DELTA §8.8): <c>exists</c> always; <c>userId</c> and <c>status</c> when a user has the email.</summary>
public sealed record UserExistsResponse(bool Exists, string? UserId, string? Status)
{
    public static UserExistsResponse From(UserExists exists) => new(exists.Exists, exists.UserId?.ToString(), exists.Status);
}

/// <summary>The query strings of <c>GET /v1/users</c> and the body of <c>POST /v1/users/lookup</c> as grain queries.</summary>
public static class UserQueries
{
    /// <summary><c>startFrom</c> is opened with <see cref="ListCursors"/>: the caller wraps the page's <c>nextCursor</c>.</summary>
    public static UserListQuery List(HttpRequest request) => new()
    {
        ExternalId = QueryParams.Optional(request, "externalId", UserRules.MaxExternalIdLength),
        Type = QueryParams.Optional(request, "type"),
        Field = QueryParams.Optional(request, "field"),

        // Lookup values may be long or sensitive: no cap beyond the URL's, and never quoted back.
        Value = Present(request, "value"),
        From = Present(request, "from"),
        To = Present(request, "to"),
        Prefix = Present(request, "prefix"),
        Order = QueryParams.Optional(request, "order"),
        StartFrom = ListCursors.Unwrap(request.HttpContext),
        Limit = QueryParams.Limit(request),
        FromBody = false,
    };

    public static UserListQuery Lookup(IdentityLookupRequest body, HttpContext context)
    {
        var query = body.ToQuery(context);
        return new UserListQuery
        {
            Type = query.Type,
            Field = query.Field,
            Value = query.Value,
            From = query.From,
            To = query.To,
            Prefix = query.Prefix,
            Order = query.Order,
            StartFrom = query.StartFrom,
            Limit = query.Limit,
            FromBody = true,
        };
    }

    private static string? Present(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;
}
