using Vectros.ApiFrontend.Auth;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Orleans;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>Shared checks of the profile, role and principal routes.</summary>
internal static class AccessScope
{
    /// <summary>
    /// The context a route names, after confinement: a scoped credential administers its own context; another context is
    /// readable only with <c>context-directory-read</c> (CL 0.40) and never writable (403). An unknown context is a 404.
    /// </summary>
    public static async Task<string> ContextAsync(HttpContext context, IGrainFactory grains, string contextId, bool write)
    {
        var principal = context.GetPrincipal();
        if (!principal.IsRoot && !string.Equals(contextId, principal.ContextId, StringComparison.Ordinal)
            && (write || !context.HasCapability("context-directory-read")))
        {
            throw new ForbiddenException("This credential may only administer its own app context.");
        }

        if (!AppContextKeys.IsValidContextId(contextId)
            || await grains.GetGrain<IAppContextGrain>(AppContextKeys.Composite(principal.TenantId, contextId)).GetAsync() is not { Status: AppContextStatus.Active })
        {
            throw new NotFoundException("No app context exists with this contextId.");
        }

        return contextId;
    }
}
