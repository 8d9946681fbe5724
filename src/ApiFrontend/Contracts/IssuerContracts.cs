using System.Text.Json;
using System.Text.Json.Serialization;
using Vectros.ApiFrontend.Auth;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Issuers;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// API-DELTA §8.7 POST /v1/auth/issuers. <c>selfSignupPolicies</c> is read raw: the wire is snake_case
/// (<c>signup_type</c>, <c>role_id</c>) and blueprints write camelCase (§15.5); either is accepted, not both at once.
/// </summary>
public sealed record IssuerRequest(
    string? IssuerId, string? Issuer, string? JwksUri, string? Audience, string? ContextId, string? SubClaim, string? EmailClaim,
    JsonElement? SelfSignupPolicies)
{
    public IssuerWrite ToWrite(AuthOptions options)
    {
        var issuerId = IssuerId ?? throw new ValidationException("issuerId", "issuerId is required.");
        if (!AppContextKeys.IsValidContextId(issuerId))
        {
            throw new ValidationException("issuerId",
                "issuerId must be 3-31 characters, start with a lowercase letter and contain only lowercase letters, digits and hyphens.");
        }

        var contextId = ContextId ?? throw new ValidationException("contextId", "contextId is required.");
        if (!AppContextKeys.IsValidContextId(contextId))
        {
            throw new ValidationException("contextId", "contextId does not name an active app context.");
        }

        return new IssuerWrite(
            issuerId,
            contextId,
            Text("issuer", Issuer, IssuerRules.MaxUriLength),
            JwksUriOf(options),
            Text("audience", Audience, IssuerRules.MaxUriLength),
            Claim("subClaim", SubClaim, IssuerRules.DefaultSubClaim),
            Claim("emailClaim", EmailClaim, IssuerRules.DefaultEmailClaim),
            Policies());
    }

    /// <summary>Keys are fetched from here by the server, so only https; plain http to a loopback host only when configured (tests, development).</summary>
    private string JwksUriOf(AuthOptions options)
    {
        var raw = Text("jwksUri", JwksUri, IssuerRules.MaxUriLength);
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.UserInfo)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && options.AllowLoopbackHttpJwks)))
        {
            throw new ValidationException("jwksUri", "jwksUri must be an absolute https URL.");
        }

        return raw;
    }

    private static string Text(string field, string? value, int max) =>
        value is { Length: > 0 } v && v.Length <= max && v.Trim() == v
            ? v
            : throw new ValidationException(field, $"{field} is required: 1-{max} characters without surrounding spaces.");

    private static string Claim(string field, string? value, string fallback) =>
        value is null ? fallback
        : value.Length is > 0 and <= IssuerRules.MaxClaimNameLength && value.All(c => c > ' ' && c < 127) ? value
        : throw new ValidationException(field, $"{field} must be a claim name of 1-{IssuerRules.MaxClaimNameLength} printable characters.");

    private List<SignupPolicy> Policies()
    {
        if (AccessProfileRequest.Present(SelfSignupPolicies) is not { } array)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() > IssuerRules.MaxPolicies)
        {
            throw new ValidationException("selfSignupPolicies", $"selfSignupPolicies must be an array of at most {IssuerRules.MaxPolicies} policies.");
        }

        var policies = new List<SignupPolicy>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var field = $"selfSignupPolicies[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw new ValidationException(field, "Each policy is an object {signup_type, role_id}.");
            }

            var signupType = Member(item, field, "signup_type", "signupType");
            var roleId = Member(item, field, "role_id", "roleId");
            foreach (var property in item.EnumerateObject())
            {
                if (property.Name is not ("signup_type" or "signupType" or "role_id" or "roleId"))
                {
                    throw new ValidationException($"{field}.{property.Name}", $"Unknown field '{property.Name}'; a policy has signup_type and role_id.");
                }
            }

            if (signupType.Length > IssuerRules.MaxSignupTypeLength || !signupType.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new ValidationException($"{field}.signup_type", $"signup_type must be 1-{IssuerRules.MaxSignupTypeLength} letters, digits, '-', '_' or '.'.");
            }

            if (policies.Any(p => p.SignupType == signupType))
            {
                throw new ValidationException($"{field}.signup_type", "Each signup_type may appear once.");
            }

            if (!AppContextKeys.IsValidContextId(roleId))
            {
                // Role ids share the context-id grammar (RolesApi); anything else names no role.
                throw new ValidationException($"{field}.role_id", "role_id does not name a role in this app context.");
            }

            policies.Add(new SignupPolicy(signupType, roleId));
        }

        return policies;
    }

    private static string Member(JsonElement item, string field, string snake, string camel)
    {
        var hasSnake = item.TryGetProperty(snake, out var a);
        var hasCamel = item.TryGetProperty(camel, out var b);
        if (hasSnake && hasCamel)
        {
            throw new ValidationException($"{field}.{snake}", $"Give {snake} or {camel}, not both.");
        }

        var value = hasSnake ? a : b;
        return (hasSnake || hasCamel) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s
            ? s
            : throw new ValidationException($"{field}.{snake}", $"{snake} is required and must be a non-empty string.");
    }
}

/// <summary>API-DELTA §8.7 IssuerResponse. <c>selfSignupPolicies</c> is absent when there are none; <c>created</c> only on POST.</summary>
public sealed record IssuerResponse(
    string IssuerId,
    string Issuer,
    string JwksUri,
    string Audience,
    string ContextId,
    string SubClaim,
    string EmailClaim,
    IReadOnlyList<SignupPolicyResponse>? SelfSignupPolicies,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Created,
    string CreatedAt)
{
    public static IssuerResponse From(IssuerView view, bool? created = null) => new(
        view.IssuerId, view.Issuer, view.JwksUri, view.Audience, view.ContextId, view.SubClaim, view.EmailClaim,
        view.SelfSignupPolicies.Count == 0 ? null : view.SelfSignupPolicies.Select(p => new SignupPolicyResponse(p.SignupType, p.RoleId)).ToList(),
        view.Status, created, Timestamps.Format(view.CreatedAt));
}

/// <summary>A self-signup policy on the wire: snake_case, as the delta states.</summary>
public sealed record SignupPolicyResponse(
    [property: JsonPropertyName("signup_type")] string SignupType,
    [property: JsonPropertyName("role_id")] string RoleId);
