using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec AccessProfileRequest (L5731) with API-DELTA §8.5. <c>scopes</c> and <c>identityOverrides</c> are read as raw
/// JSON so a repeated data_scope key or override key is seen and refused; nulls keep the stored value on PUT.
/// </summary>
public sealed record AccessProfileRequest(string? PrincipalId, JsonElement? Scopes, string? RoleId, JsonElement? IdentityOverrides, string? Status)
{
    public ProfileWrite ToWrite() => new(
        Present(Scopes) is { } scopes ? ScopeClauseJson.Read(scopes) : null,
        RoleId,
        Present(IdentityOverrides) is { } overrides ? ProfileAuthority.ReadOverrides(overrides) : null,
        Status switch
        {
            null => null,
            AccessProfileView.Active or AccessProfileView.Suspended => Status,
            _ => throw new ValidationException("status", "status must be one of: active, suspended."),
        });

    internal static JsonElement? Present(JsonElement? element) => element is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } e ? e : null;
}

/// <summary>Spec RoleRequest (L5903). Nullable because PUT is partial; create checks the required fields.</summary>
public sealed record RoleRequest(string? RoleId, string? Name, string? Description, JsonElement? Scopes)
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2000;

    public RoleWrite ToWrite()
    {
        var name = Name?.Trim();
        if (name is not null && (name.Length == 0 || name.Length > MaxNameLength))
        {
            throw new ValidationException("name", $"name must be 1-{MaxNameLength} characters.");
        }

        if (Description is { Length: > MaxDescriptionLength })
        {
            throw new ValidationException("description", $"description must be at most {MaxDescriptionLength} characters.");
        }

        return new RoleWrite(name, Description, AccessProfileRequest.Present(Scopes) is { } scopes ? ScopeClauseJson.Read(scopes) : null);
    }
}

/// <summary>
/// Spec AccessProfileResponse (L5625). <c>identityOverrides</c> carries the 0.40 <c>scope:&lt;ns&gt;</c> keys and, for
/// <c>org</c>/<c>client</c>, the 0.31 <c>orgId</c>/<c>clientId</c> alongside (DESIGN §5a; both spellings are accepted back).
/// </summary>
public sealed record AccessProfileResponse(
    string Id,
    string ContextId,
    string PrincipalId,
    JsonArray? Scopes,
    string? RoleId,
    IReadOnlyDictionary<string, string> IdentityOverrides,
    string Status,
    string CreatedAt,
    string LastModified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Created = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email = null)
{
    /// <summary><paramref name="email"/>: the <c>usr_</c> principal's email, resolved by <c>ProfileEmails</c> (API-DELTA §8.5).</summary>
    public static AccessProfileResponse From(AccessProfileView view, bool? created = null, string? email = null)
    {
        var overrides = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in view.IdentityOverrides)
        {
            overrides[key] = value;
            if (key == "scope:org")
            {
                overrides["orgId"] = value;
            }
            else if (key == "scope:client")
            {
                overrides["clientId"] = value;
            }
        }

        return new(view.Id, view.ContextId, view.PrincipalId, view.Scopes is null ? null : ScopeClauseJson.Write(view.Scopes), view.RoleId,
            overrides, view.Status, Timestamps.Format(view.CreatedAt), Timestamps.Format(view.LastModified), created, email);
    }
}

/// <summary>Spec RoleResponse (L5853).</summary>
public sealed record RoleResponse(
    string Id,
    string ContextId,
    string RoleId,
    string Name,
    string? Description,
    JsonArray Scopes,
    string CreatedAt,
    string LastModified,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Created = null)
{
    public static RoleResponse From(AccessRoleView view, bool? created = null) => new(
        view.Id, view.ContextId, view.RoleId, view.Name, view.Description, ScopeClauseJson.Write(view.Scopes),
        Timestamps.Format(view.CreatedAt), Timestamps.Format(view.LastModified), created);
}
