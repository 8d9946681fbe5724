using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orleans;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Issuers;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Verifies an external issuer's ID token for the exchange: the token's own <c>iss</c> and <c>aud</c> pick the
/// registration (platform-wide unique), whose JWKS then checks the signature (RS256 or ES256), issuer, audience and
/// expiry (60 s skew). Refusals are <see cref="OAuthException"/>s; none repeats the token.
/// </summary>
public sealed class ExternalTokenVerifier(IGrainFactory grains, ExternalJwksCache jwks)
{
    public const int MaxTokenLength = 16 * 1024;
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>The registration, the subject and the email (null when absent, malformed or marked unverified).</summary>
    public async Task<(IssuerView Issuer, string Subject, string? Email)> VerifyAsync(
        string token, string? contextId, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength)
        {
            throw new OAuthException(400, OAuthException.InvalidRequest, "subject_token is too long.");
        }

        JsonWebToken parsed;
        try
        {
            parsed = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            throw new OAuthException(400, OAuthException.InvalidGrant, "subject_token is not a signed JWT.");
        }

        var issuer = await RegistrationAsync(parsed, contextId);
        var keys = await jwks.KeysAsync(issuer.JwksUri, string.IsNullOrEmpty(parsed.Kid) ? null : parsed.Kid, cancellationToken)
            ?? throw new OAuthException(401, OAuthException.InvalidGrant, "The issuer's signing keys could not be fetched; try again later.");
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer.Issuer,
            ValidAudience = issuer.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            TryAllIssuerSigningKeys = string.IsNullOrEmpty(parsed.Kid),
        });
        if (!result.IsValid)
        {
            throw new OAuthException(401, OAuthException.InvalidGrant, result.Exception switch
            {
                SecurityTokenExpiredException => "subject_token has expired.",
                SecurityTokenNotYetValidException => "subject_token is not valid yet.",
                SecurityTokenSignatureKeyNotFoundException => "subject_token is signed with a key the issuer does not publish.",
                SecurityTokenInvalidSignatureException => "subject_token's signature does not verify.",
                _ => "subject_token could not be verified.",
            });
        }

        var subject = Claim(parsed, issuer.SubClaim);
        if (subject is not { Length: > 0 and <= UserRules.MaxExternalSubjectLength })
        {
            throw new OAuthException(400, OAuthException.InvalidGrant, $"subject_token has no usable '{issuer.SubClaim}' claim.");
        }

        return (issuer, subject, Email(parsed, issuer.EmailClaim));
    }

    /// <summary>The registration the token names: 404 for an unknown issuer or context, 401 for a foreign audience.</summary>
    private async Task<IssuerView> RegistrationAsync(JsonWebToken parsed, string? contextId)
    {
        var iss = parsed.Issuer;
        if (string.IsNullOrEmpty(iss) || iss.Length > IssuerRules.MaxUriLength)
        {
            throw new OAuthException(400, OAuthException.InvalidGrant, "subject_token has no issuer.");
        }

        var registrations = await grains.GetGrain<IIssuerDirectoryGrain>(IIssuerDirectoryGrain.Key).FindByIssuerAsync(iss);
        if (registrations.Count == 0)
        {
            throw new OAuthException(404, OAuthException.InvalidGrant, "No registered issuer matches subject_token.");
        }

        var audiences = parsed.Audiences.ToHashSet(StringComparer.Ordinal);
        var matches = registrations.Where(r => audiences.Contains(r.Audience)).ToList();
        if (matches.Count != 1)
        {
            throw new OAuthException(401, OAuthException.InvalidGrant,
                matches.Count == 0 ? "subject_token is not for a registered audience." : "subject_token names several registered audiences.");
        }

        if (contextId is not null && contextId != matches[0].ContextId)
        {
            throw new OAuthException(404, OAuthException.InvalidTarget, "context_id does not match the issuer's app context.");
        }

        return matches[0];
    }

    private static string? Claim(JsonWebToken token, string name) =>
        token.TryGetPayloadValue<object>(name, out var value) && value is string s ? s : null;

    /// <summary>An email only when it looks like one and the issuer does not say it is unverified.</summary>
    private static string? Email(JsonWebToken token, string claim)
    {
        if (token.TryGetPayloadValue<object>("email_verified", out var verified) && verified is false or "false")
        {
            return null;
        }

        return Claim(token, claim) is { Length: > 2 and <= UserRules.MaxEmailLength } email
            && email.IndexOf('@') is > 0 and var at && at < email.Length - 1 && !email.Any(char.IsWhiteSpace)
            ? email
            : null;
    }
}
