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
                TypedResults.Ok(Describe(context.GetPrincipal(), options.Value.Environment)))
            .WithName("ping")
            .WithSummary("Verify your credential and return its bound identity")
            .WithTags("Auth");
        return app;
    }

    /// <summary>The credential as ping describes it; the gRPC Ping answers from the same description.</summary>
    public static PingResponse Describe(Principal p, string environment)
    {
        var scoped = p.Kind != CredentialKind.RootKey;
        return new PingResponse(
            Status: "ok",
            TenantId: p.TenantId,
            Environment: environment,
            PrincipalType: p.Kind switch
            {
                CredentialKind.RootKey => "root_key",
                CredentialKind.ScopedKey => "scoped_key",
                _ => "token",
            },
            // For st_ tokens the credential id is the token's jti (API-DELTA §8.7).
            PrincipalKeyId: p.CredentialId,
            PrincipalLabel: p.Kind == CredentialKind.Token ? null : p.Label,
            AllowedActions: scoped ? p.AllowedActions : null,
            DataScope: scoped ? BoundIdentity(p) : null,
            TokenExpiresAt: p.Kind == CredentialKind.Token ? p.ExpiresAt?.ToUnixTimeSeconds() : null);
    }

    /// <summary>
    /// Ping's DataScope is the credential's bound identity, not its full attribute → values map: the user and the
    /// <c>ns:value</c> scopes it is bound to (its identity, else a data-scope dimension pinned to one id), as the
    /// 0.40 <c>{userId, scopes[]}</c> with the 0.31 <c>orgId</c> beside it.
    /// </summary>
    private static PingDataScope? BoundIdentity(Principal p)
    {
        var identity = p.Identity ?? new Dictionary<string, string>();
        string? Bound(string key) =>
            identity.TryGetValue(key, out var v) ? v
            : p.DataScope.TryGetValue(key, out var values) && values is [{ } single] && !single.StartsWith("${{", StringComparison.Ordinal) ? single
            : null;

        var userId = Bound("userId") ?? p.UserId;
        var scopes = identity.Keys.Concat(p.DataScope.Keys)
            .Where(k => k.StartsWith("scope:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)
            .Select(k => Bound(k) is { } value ? $"{k[6..]}:{value}" : null).OfType<string>().ToList();
        var orgId = Bound("scope:org");
        return userId is null && scopes.Count == 0 ? null : new PingDataScope(userId, scopes, orgId);
    }
}
