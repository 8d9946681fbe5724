using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Auth;

/// <summary>Route and handler helpers over <see cref="ScopeAuthorizer"/>.</summary>
public static class AuthorizationExtensions
{
    public static Principal GetPrincipal(this HttpContext context) =>
        context.Items[typeof(Principal)] as Principal
        ?? throw new InvalidOperationException("No principal: the endpoint is outside the authenticated /v1 surface.");

    /// <summary>The caller as grains see it: tenant and context from the credential, actions for per-type checks.</summary>
    public static CallerContext GetCaller(this HttpContext context)
    {
        var p = context.GetPrincipal();
        // The request's access with its membership and parent facts, when its clauses need them (ScopedAccessMiddleware).
        var access = context.Items[typeof(CallerAccess)] as CallerAccess ?? AccessActors.Access(p);
        return new CallerContext(p.TenantId, p.ContextId, p.CredentialId, p.IsRoot, p.AllowedActions, access);
    }

    /// <summary>Throws 403 unless the caller holds <paramref name="scope"/>.</summary>
    public static Principal Demand(this HttpContext context, string scope)
    {
        var principal = context.GetPrincipal();
        return ScopeAuthorizer.IsAllowed(principal, scope)
            ? principal
            : throw new ForbiddenException($"This operation requires the '{scope}' scope.");
    }

    /// <summary>Throws 403 unless the caller is a root key (spec: context delete, token mint, erasure, export).</summary>
    public static Principal DemandRoot(this HttpContext context)
    {
        var principal = context.GetPrincipal();
        return principal.IsRoot
            ? principal
            : throw new ForbiddenException("This operation requires a root API key (sk_live_ or sk_test_).");
    }

    /// <summary>Checks <paramref name="scope"/> before the handler runs.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            ctx.HttpContext.Demand(scope);
            return await next(ctx);
        });

    /// <summary>Root keys only.</summary>
    public static TBuilder RequireRoot<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (ctx, next) =>
        {
            ctx.HttpContext.DemandRoot();
            return await next(ctx);
        });
}
