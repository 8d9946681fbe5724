using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/namespaces</c> (API-DELTA-0.40 §8.2). Writes need a root key. Reads need no particular scope:
/// registrations are configuration every writer of <c>scopes</c> depends on; they stay confined to the tenant-wide
/// rows and the caller's own context. <c>?contextId=</c> selects a context-owned registration.
/// </summary>
public static class NamespacesApi
{
    public static IEndpointRouteBuilder MapNamespacesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/namespaces").WithTags("Identity");

        group.MapGet("/", ListAsync).WithName("listNamespaces").WithSummary("List scope namespaces")
            .Produces<PageResponse<NamespaceResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", RegisterAsync).DescribesBody<NamespaceRequest>().RequireRoot().WithName("registerNamespace").WithSummary("Register a scope namespace")
            .Produces<NamespaceResponse>(201).ProducesApiErrors(400, 403, 409);
        group.MapGet("/{namespace}", GetAsync).WithName("getNamespace").WithSummary("Get a scope namespace")
            .Produces<NamespaceResponse>().ProducesApiErrors(400, 403, 404);
        group.MapPut("/{namespace}", UpdateAsync).DescribesBody<NamespaceRequest>().RequireRoot().WithName("updateNamespace").WithSummary("Update a scope namespace")
            .Produces<NamespaceResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{namespace}", DeleteAsync).RequireRoot().WithName("deleteNamespace").WithSummary("Delete a scope namespace")
            .Produces(204).ProducesApiErrors(400, 403, 404, 409);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var page = await Registry(grains, caller.TenantId).ListAsync(
            caller, ContextId(context), ListCursors.Unwrap(context), QueryParams.Limit(context.Request));
        return TypedResults.Ok(new PageResponse<NamespaceResponse>(
            page.Data.Select(NamespaceResponse.From).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var contextId = ContextId(context);
        var body = await JsonBody.ReadAsync<NamespaceRequest>(context.Request, context.RequestAborted);
        var name = body.Namespace ?? throw new ValidationException("namespace", "namespace is required.");
        var view = await Registry(grains, caller.TenantId).RegisterAsync(caller, name, contextId, body.ToDefinition());
        var location = $"/v1/namespaces/{view.Namespace}" + (view.ContextId is null ? "" : $"?contextId={view.ContextId}");
        return TypedResults.Created(location, NamespaceResponse.From(view));
    }

    private static async Task<IResult> GetAsync(string @namespace, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var view = await Registry(grains, caller.TenantId).GetAsync(caller, @namespace, ContextId(context));
        return TypedResults.Ok(NamespaceResponse.From(view));
    }

    /// <summary>PUT: the settable fields; the name and the owning context are immutable.</summary>
    private static async Task<IResult> UpdateAsync(string @namespace, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var contextId = ContextId(context);
        var body = await JsonBody.ReadAsync<NamespaceRequest>(context.Request, context.RequestAborted);
        if (body.Namespace is not null && !string.Equals(body.Namespace, @namespace, StringComparison.Ordinal))
        {
            throw new ValidationException("namespace", "namespace is immutable: it must be the name in the path, or omitted.");
        }

        var view = await Registry(grains, caller.TenantId).UpdateAsync(caller, @namespace, contextId, body.ToDefinition());
        return TypedResults.Ok(NamespaceResponse.From(view));
    }

    private static async Task<IResult> DeleteAsync(string @namespace, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        await Registry(grains, caller.TenantId).DeleteAsync(caller, @namespace, ContextId(context));
        return TypedResults.NoContent();
    }

    private static string? ContextId(HttpContext context) => QueryParams.Optional(context.Request, "contextId", maxLength: 64);

    private static INamespaceRegistryGrain Registry(IGrainFactory grains, string tenantId) => grains.GetGrain<INamespaceRegistryGrain>(tenantId);
}
