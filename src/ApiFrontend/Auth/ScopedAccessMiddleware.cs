using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Per-request work for scoped credentials (issue #9 item 7), after authentication and the rate limiter:
/// <list type="bullet">
/// <item>membership and parent facts for <c>${{ member.scope.* }}</c> / <c>${{ under.self.* }}</c> placeholders, looked up
/// on every request (API-DELTA §8.2: revocation is immediate) and kept as the request's <see cref="CallerAccess"/>,
/// which <see cref="AuthorizationExtensions.GetCaller"/> hands to grains; clauses without such placeholders cost nothing;</item>
/// <item>data-plane writes into an app context that is <c>purging</c> or <c>deleted</c> are refused with the same 404 as
/// a context that does not exist, as the app-context operations answer for a context that is not active.</item>
/// </list>
/// Root keys pass untouched: they act tenant-wide and run the teardown themselves.
/// </summary>
public sealed class ScopedAccessMiddleware(RequestDelegate next, IGrainFactory grains)
{
    /// <summary>Route families whose writes put data into the credential's context.</summary>
    private static readonly string[] DataPlane =
        ["/v1/records", "/v1/documents", "/v1/folders", "/v1/schemas", "/v1/entities", "/v1/orgs", "/v1/clients", "/v1/users"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[typeof(Principal)] is Principal { IsRoot: false } principal)
        {
            if (Grpc.GrpcCalls.IsGrpcRequest(context) ? Grpc.GrpcCalls.Write(context) is { DataPlane: true } : IsDataPlaneWrite(context.Request))
            {
                await DemandActiveContextAsync(principal);
            }

            var access = AccessActors.Access(principal)!;
            var need = AccessFactsNeed.Of(access.Clauses);
            if (need.Any)
            {
                var identity = await grains.GetGrain<IAccessFactsGrain>(principal.TenantId).ResolveAsync(principal.ContextId, access.Identity, need);
                context.Items[typeof(CallerAccess)] = access with { Identity = identity };
            }
        }

        await next(context);
    }

    private async Task DemandActiveContextAsync(Principal principal)
    {
        var view = await grains.GetGrain<IAppContextGrain>(AppContextKeys.Composite(principal.TenantId, principal.ContextId)).GetAsync();
        if (view is { Status: not AppContextStatus.Active })
        {
            throw new NotFoundException("App context not found.");
        }
    }

    /// <summary>POST, PUT, PATCH or DELETE under a data-plane family; lookups and batch reads sent as POST are reads.</summary>
    private static bool IsDataPlaneWrite(HttpRequest request)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return false;
        }

        var path = request.Path.Value ?? "";
        if (!DataPlane.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var trimmed = path.TrimEnd('/');
        return !(trimmed.EndsWith("/lookup", StringComparison.OrdinalIgnoreCase)
            || trimmed.EndsWith("/lookup/batch", StringComparison.OrdinalIgnoreCase)
            || trimmed.EndsWith("/batch-get", StringComparison.OrdinalIgnoreCase));
    }
}
