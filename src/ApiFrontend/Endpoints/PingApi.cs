using Microsoft.Extensions.Options;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.ApiFrontend.Endpoints;

public static class PingApi
{
    public static IEndpointRouteBuilder MapPingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/ping", (HttpContext context, IOptions<ApiOptions> options) =>
            {
                var p = context.GetPrincipal();
                var scoped = p.Kind == CredentialKind.ScopedKey;
                return TypedResults.Ok(new PingResponse(
                    Status: "ok",
                    TenantId: p.TenantId,
                    Environment: options.Value.Environment,
                    PrincipalType: p.Kind switch
                    {
                        CredentialKind.RootKey => "root_key",
                        CredentialKind.ScopedKey => "scoped_key",
                        _ => "token",
                    },
                    PrincipalKeyId: p.CredentialId,
                    PrincipalLabel: p.Kind == CredentialKind.Token ? null : p.Label,
                    AllowedActions: scoped ? p.AllowedActions : null,
                    DataScope: scoped ? BoundIdentity(p) : null,
                    TokenExpiresAt: p.Kind == CredentialKind.Token ? p.ExpiresAt?.ToUnixTimeSeconds() : null));
            })
            .WithName("ping")
            .WithSummary("Verify your credential and return its bound identity")
            .WithTags("Auth");
        return app;
    }

    /// <summary>Ping's DataScope carries single bound ids (spec L8204), not the full attribute → values map.</summary>
    private static Dictionary<string, string>? BoundIdentity(Principal p)
    {
        var bound = p.DataScope
            .Where(kv => kv.Key is "userId" or "orgId" && kv.Value is [{ } single])
            .ToDictionary(kv => kv.Key, kv => kv.Value[0]!);
        return bound.Count == 0 ? null : bound;
    }
}
