using System.Text.Json.Serialization;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// RFC 8693 token exchange request (API-DELTA §8.7), snake_case as the RFC writes it; sent as JSON or as
/// <c>application/x-www-form-urlencoded</c>. For the document only: the handler reads the fields itself, ignoring
/// unknown ones as RFC 6749 §3.2 requires.
/// </summary>
public sealed record TokenExchangeRequest(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("subject_token")] string SubjectToken,
    [property: JsonPropertyName("subject_token_type")] string SubjectTokenType,
    [property: JsonPropertyName("requested_token_type")] string? RequestedTokenType,
    [property: JsonPropertyName("invite_token")] string? InviteToken,
    [property: JsonPropertyName("signup_type")] string? SignupType,
    [property: JsonPropertyName("context_id")] string? ContextId);

/// <summary>RFC 8693 §2.2.1 success: a one-hour <c>st_</c> bearer token.</summary>
public sealed record TokenExchangeResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("issued_token_type")] string IssuedTokenType,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn)
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    public const string JwtType = "urn:ietf:params:oauth:token-type:jwt";
    public const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";
}

/// <summary>The OAuth error body (RFC 6749 §5.2), which this route alone answers with (API-DELTA §1 "OAuth errors").</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

/// <summary>An exchange refusal: the status and OAuth error code to answer with. The description never carries a token.</summary>
public sealed class OAuthException(int status, string error, string description) : Exception(description)
{
    public const string InvalidRequest = "invalid_request";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidTarget = "invalid_target";
    public const string AccessDenied = "access_denied";
    public const string UnsupportedGrantType = "unsupported_grant_type";

    public int Status { get; } = status;

    public string Error { get; } = error;
}
