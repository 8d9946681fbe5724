using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Tokens;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/auth/token</c> (mintToken, spec L4486, API-DELTA §8.7) and <c>/v1/auth/jwks</c> (getJwks, spec L32).</summary>
public static class AuthApi
{
    /// <summary>Spec getJwks: "a one-hour Cache-Control". The keys are public, so shared caches may keep them too.</summary>
    public const string JwksCacheControl = "public, max-age=3600";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/auth").WithTags("Auth");
        group.MapPost("/token", MintAsync).DescribesBody<TokenRequest>().RequireRoot().WithName("mintToken")
            .WithSummary("Mint a scoped bearer token for one of your end users")
            .Produces<MintTokenResponse>().ProducesApiErrors(400, 403, 404);
        group.MapGet("/jwks", JwksAsync).WithName("getJwks").WithSummary("Get the platform's JWT signing public key (JWKS)")
            .Produces<JwksResponse>().ProducesApiErrors(500);
        return app;
    }

    private static async Task<IResult> MintAsync(HttpContext context, IGrainFactory grains)
    {
        var principal = context.GetPrincipal();
        var body = await JsonBody.ReadAsync<TokenRequest>(context.Request, context.RequestAborted);
        var scope = TokenScopeReader.Read(body.Scope);
        var userId = TokenScopeReader.UserId(body.UserId);

        // 0.40 caps the lifetime at an hour (API-DELTA §8.7); the 0.31 ceiling of 86400 is refused, not clamped.
        var seconds = body.ExpiresInSeconds ?? (int)ScopedTokenClaims.MaxLifetime.TotalSeconds;
        if (seconds < 1 || seconds > ScopedTokenClaims.MaxLifetime.TotalSeconds)
        {
            throw new ValidationException("expiresInSeconds", "expiresInSeconds must be between 1 and 3600 (one hour, also the default).");
        }

        // Omitted: the root key's own context (DESIGN §5a). Malformed ids name no context: the same uniform 404.
        var contextId = body.ContextId ?? principal.ContextId;
        if (!AppContextKeys.IsValidContextId(contextId))
        {
            throw new NotFoundException("App context not found.");
        }

        var minted = await grains.GetGrain<ITokenIssuerGrain>(principal.TenantId).MintAsync(new MintTokenCommand(
            principal.Environment, contextId, userId, scope, TimeSpan.FromSeconds(seconds), principal.CredentialId));
        return TypedResults.Ok(new MintTokenResponse(minted.Token, minted.ExpiresAt.ToUnixTimeSeconds()));
    }

    private static async Task<IResult> JwksAsync(HttpContext context, IGrainFactory grains)
    {
        var published = await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).GetPublishedKeysAsync();
        context.Response.Headers.CacheControl = JwksCacheControl;
        return TypedResults.Ok(new JwksResponse(published.Keys
            .Select(k => new Jwk("EC", "P-256", k.X, k.Y, "sig", k.Kid, ScopedTokenClaims.Algorithm)).ToList()));
    }
}
