using System.Globalization;
using System.Text.Json;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Issuers;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>POST /v1/auth/token/exchange</c> (RFC 8693, API-DELTA §8.7): an external issuer's ID token in, a one-hour
/// <c>st_</c> token out. It carries no credential (the authentication middleware lets this endpoint alone through), so
/// the failed-authentication limiter is applied here: every refusal counts against the client address, and an address
/// over the limit gets 429 before any work. Every answer, errors included, is the OAuth shape (RFC 6749 §5.2).
/// </summary>
public static class TokenExchangeApi
{
    public const string Route = "/v1/auth/token/exchange";

    /// <summary>Never recorded as a working credential, so the limiter's known-good exemption never covers an exchange.</summary>
    private const string LimiterFingerprint = "token-exchange";

    public static IEndpointRouteBuilder MapTokenExchangeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, ExchangeAsync).WithTags("Auth").WithMetadata(CredentialFreeEndpoint.Instance)
            .WithName("exchangeToken").WithSummary("Exchange an external ID token for a scoped token (RFC 8693)")
            .DescribesBody<TokenExchangeRequest>()
            .Produces<TokenExchangeResponse>()
            .Produces<OAuthError>(400).Produces<OAuthError>(401).Produces<OAuthError>(403).Produces<OAuthError>(404).Produces<OAuthError>(429);
        return app;
    }

    private static async Task<IResult> ExchangeAsync(
        HttpContext context, IGrainFactory grains, ExternalTokenVerifier verifier, FailedAuthLimiter limiter)
    {
        var address = context.Connection.RemoteIpAddress;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        if (limiter.Refusal(address, LimiterFingerprint) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return Error(429, "temporarily_unavailable", $"Too many failed exchanges from this address; retry after {seconds} s.");
        }

        try
        {
            var fields = await ReadFieldsAsync(context);
            var (issuer, subject, email) = await verifier.VerifyAsync(fields.SubjectToken, fields.ContextId, context.RequestAborted);
            var minted = await grains.GetGrain<IIssuerRegistryGrain>(issuer.TenantId)
                .SignInAsync(new ExternalSignIn(issuer.IssuerId, subject, email, fields.SignupType, fields.InviteToken));
            return TypedResults.Ok(new TokenExchangeResponse(minted.Token, TokenExchangeResponse.AccessTokenType, "Bearer", 3600));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var refusal = OAuthOf(ex);
            if (refusal is null)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenExchangeApi))
                    .LogError(ex, "Token exchange failed");
                refusal = new OAuthException(500, "server_error", "The exchange failed; try again.");
            }

            if (refusal.Status < 500)
            {
                limiter.RecordFailure(address);
            }

            return Error(refusal.Status, refusal.Error, refusal.Message);
        }
    }

    /// <summary>The grain family mapped onto OAuth errors; a refusal raised with an OAuth code keeps it.</summary>
    private static OAuthException? OAuthOf(Exception ex) => ex switch
    {
        OAuthException o => o,
        ValidationException v => new OAuthException(400, OAuthException.InvalidRequest, v.Message),
        ForbiddenException f => new OAuthException(403, OAuthException.AccessDenied, f.Message),
        NotFoundException => new OAuthException(404, OAuthException.InvalidGrant, "No registered issuer or app context matches subject_token."),
        ConflictException => new OAuthException(403, OAuthException.AccessDenied, "The sign-in could not be completed; try again."),
        UnavailableException => new OAuthException(503, "temporarily_unavailable", "The service is temporarily unavailable; try again."),
        _ => null,
    };

    private static IResult Error(int status, string error, string description) =>
        TypedResults.Json(new OAuthError(error, description), statusCode: status);

    private sealed record Fields(string SubjectToken, string? SignupType, string? ContextId, string? InviteToken);

    /// <summary>
    /// JSON or a form (RFC 8693 §2.1). Unknown parameters are ignored (RFC 6749 §3.2); a parameter given twice, or not
    /// as a string, is invalid_request. <c>invite_token</c> is refused as unsupported rather than silently skipped.
    /// </summary>
    private static async Task<Fields> ReadFieldsAsync(HttpContext context)
    {
        var values = await ReadRawAsync(context);
        string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
        string Required(string name) => Get(name) is { Length: > 0 } v ? v : throw new OAuthException(400, OAuthException.InvalidRequest, $"{name} is required.");

        var grantType = Required("grant_type");
        if (grantType != TokenExchangeResponse.GrantType)
        {
            throw new OAuthException(400, OAuthException.UnsupportedGrantType, $"grant_type must be {TokenExchangeResponse.GrantType}.");
        }

        var token = Required("subject_token");
        var tokenType = Required("subject_token_type");
        if (tokenType is not (TokenExchangeResponse.JwtType or TokenExchangeResponse.IdTokenType))
        {
            throw new OAuthException(400, OAuthException.InvalidRequest,
                $"subject_token_type must be {TokenExchangeResponse.JwtType} or {TokenExchangeResponse.IdTokenType}.");
        }

        return new Fields(token, Optional(Get("signup_type"), "signup_type"), Optional(Get("context_id"), "context_id"),
            Get("invite_token") is { } invite ? Optional(invite, "invite_token") : null);
    }

    private static string? Optional(string? value, string name) =>
        value is null ? null : value.Length is > 0 and <= 256 ? value : throw new OAuthException(400, OAuthException.InvalidRequest, $"{name} is malformed.");

    private static async Task<Dictionary<string, string>> ReadRawAsync(HttpContext context)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var request = context.Request;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                throw new OAuthException(400, OAuthException.InvalidRequest, "The form body could not be read.");
            }

            foreach (var (key, value) in form)
            {
                values[key] = value.Count == 1 ? value[0]! : throw new OAuthException(400, OAuthException.InvalidRequest, $"{key} appears more than once.");
            }

            return values;
        }

        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new OAuthException(400, OAuthException.InvalidRequest, "The body must be JSON or application/x-www-form-urlencoded.");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: context.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OAuthException(400, OAuthException.InvalidRequest, "The body must be a JSON object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new OAuthException(400, OAuthException.InvalidRequest, $"{property.Name} must be a string.");
                }

                if (!values.TryAdd(property.Name, property.Value.GetString()!))
                {
                    throw new OAuthException(400, OAuthException.InvalidRequest, $"{property.Name} appears more than once.");
                }
            }
        }
        catch (JsonException)
        {
            throw new OAuthException(400, OAuthException.InvalidRequest, "The body is not valid JSON.");
        }

        return values;
    }
}

/// <summary>Marks the one endpoint that takes no credential (the token exchange); the authentication middleware lets it through.</summary>
public sealed class CredentialFreeEndpoint
{
    public static readonly CredentialFreeEndpoint Instance = new();

    private CredentialFreeEndpoint()
    {
    }
}
