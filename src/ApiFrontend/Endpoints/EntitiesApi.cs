using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/entities/{namespace}</c> (API-DELTA-0.40 §8.3). Scopes are per namespace (<c>entities:c|r|u|d:&lt;ns&gt;</c>).
/// Every operation takes <c>?contextId=</c>: required for a context-owned namespace, refused for a tenant-wide one.
/// The namespace must be registered and entity-backed. An id of another tenant, context or namespace answers the
/// same 404 as a missing one. The 0.31 org and client views (<see cref="OrgsApi"/>, <see cref="ClientsApi"/>) go
/// through the same helpers.
/// </summary>
public static class EntitiesApi
{
    public static IEndpointRouteBuilder MapEntitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/entities/{namespace}").WithTags("Identity");

        group.MapGet("/", ListAsync).WithName("listEntities").WithSummary("List entities of a namespace")
            .Produces<PageResponse<EntityResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<EntityRequest>().WithName("createEntity").WithSummary("Create an entity (idempotent by external ID)")
            .Produces<EntityResponse>(201).Produces<EntityResponse>().ProducesApiErrors(400, 403, 409);
        group.MapPost("/lookup", LookupAsync).DescribesBody<IdentityLookupRequest>().WithName("lookupEntities").WithSummary("Look up entities by field value (request-body variant)")
            .Produces<PageResponse<EntityResponse>>().ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).WithName("getEntity").WithSummary("Get an entity by ID")
            .Produces<EntityResponse>().ProducesApiErrors(400, 403, 404);
        group.MapPut("/{id}", UpdateAsync).DescribesBody<EntityRequest>().WithName("updateEntity").WithSummary("Update an entity")
            .Produces<EntityResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).WithName("deleteEntity").WithSummary("Delete an entity")
            .Produces(204).ProducesApiErrors(400, 403, 404, 409);
        group.MapGet("/{id}/versions", VersionsAsync).WithName("getEntityVersions").WithSummary("Get an entity's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(string @namespace, HttpContext context, IGrainFactory grains)
    {
        context.Demand($"entities:r:{@namespace}");
        var page = await PageAsync(context, grains, @namespace, ContextId(context), EntityFields.ListQuery(context.Request));
        return TypedResults.Ok(EntityResponse.Page(page));
    }

    private static async Task<IResult> LookupAsync(string @namespace, HttpContext context, IGrainFactory grains)
    {
        context.Demand($"entities:r:{@namespace}");
        var body = await JsonBody.ReadAsync<IdentityLookupRequest>(context.Request, context.RequestAborted);
        var page = await PageAsync(context, grains, @namespace, ContextId(context), body.ToQuery(context));
        return TypedResults.Ok(EntityResponse.Page(page));
    }

    private static async Task<IResult> CreateAsync(string @namespace, HttpContext context, IGrainFactory grains)
    {
        var upsert = QueryParams.Flag(context.Request, "upsert");
        Demand(context, "c", @namespace, upsert);
        var contextId = ContextId(context);
        var body = await JsonBody.ReadAsync<EntityRequest>(context.Request, context.RequestAborted);
        var result = await CreateEntityAsync(context, grains, @namespace, contextId, body.ToWrite(create: true), upsert);
        var response = EntityResponse.From(result.Entity, result.Created);
        return result.Created
            ? TypedResults.Created($"/v1/entities/{@namespace}/{response.Id}" + (contextId is null ? "" : $"?contextId={contextId}"), response)
            : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string @namespace, string id, HttpContext context, IGrainFactory grains)
    {
        context.Demand($"entities:r:{@namespace}");
        var (grain, caller, target) = await GrainAsync(context, grains, @namespace, ContextId(context), id);
        return TypedResults.Ok(EntityResponse.From(await grain.GetAsync(caller, target)));
    }

    private static async Task<IResult> UpdateAsync(string @namespace, string id, HttpContext context, IGrainFactory grains)
    {
        context.Demand($"entities:u:{@namespace}");
        var body = await JsonBody.ReadAsync<EntityRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(create: false);
        var (grain, caller, target) = await GrainAsync(context, grains, @namespace, ContextId(context), id);
        return TypedResults.Ok(EntityResponse.From(await grain.UpdateAsync(caller, target, write)));
    }

    private static async Task<IResult> DeleteAsync(string @namespace, string id, HttpContext context, IGrainFactory grains)
    {
        context.Demand($"entities:d:{@namespace}");
        var (grain, caller, target) = await GrainAsync(context, grains, @namespace, ContextId(context), id);
        await grain.DeleteAsync(caller, target);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string @namespace, string id, HttpContext context, IGrainFactory grains)
    {
        context.Demand($"entities:r:{@namespace}");
        return TypedResults.Ok(ModelDataVersionResponse.Page(await HistoryAsync(context, grains, @namespace, ContextId(context), id)));
    }

    /// <summary>Create (idempotent on externalId) in a namespace; the id is a fresh UUIDv7.</summary>
    internal static async Task<EntityCreateResult> CreateEntityAsync(
        HttpContext context, IGrainFactory grains, string ns, string? contextId, EntityWrite write, bool upsert)
    {
        var caller = context.GetCaller();
        var target = await ResolveAsync(grains, caller, ns, contextId);
        var id = Guid.CreateVersion7();
        return await grains.GetGrain<IEntityGrain>(EntityRules.Key(caller.TenantId, target.Home, id)).CreateAsync(caller, target, write, upsert);
    }

    private static async Task<EntityPage> QueryAsync(HttpContext context, IGrainFactory grains, string ns, string? contextId, EntityListQuery query)
    {
        var caller = context.GetCaller();
        var target = await ResolveAsync(grains, caller, ns, contextId);
        return await grains.GetGrain<IEntityQueryGrain>(EntityRules.QueryKey(caller.TenantId, target.Home)).ListAsync(caller, target, query);
    }

    /// <summary><see cref="QueryAsync"/> with its <c>nextCursor</c> sealed (<see cref="ListCursors"/>): what a list or lookup route answers.</summary>
    internal static async Task<EntityPage> PageAsync(HttpContext context, IGrainFactory grains, string ns, string? contextId, EntityListQuery query)
    {
        var page = await QueryAsync(context, grains, ns, contextId, query);
        return page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) };
    }

    internal static async Task<Grains.Abstractions.History.VersionPage> HistoryAsync(
        HttpContext context, IGrainFactory grains, string ns, string? contextId, string id)
    {
        var (grain, caller, target) = await GrainAsync(context, grains, ns, contextId, id);
        return await grain.GetVersionsAsync(caller, target, QueryParams.Optional(context.Request, "startFrom"), QueryParams.Limit(context.Request));
    }

    /// <summary>The entity's grain in its namespace's home; an id that is not a UUID is as absent as a missing one.</summary>
    internal static async Task<(IEntityGrain Grain, CallerContext Caller, EntityNamespace Target)> GrainAsync(
        HttpContext context, IGrainFactory grains, string ns, string? contextId, string id)
    {
        var caller = context.GetCaller();
        var target = await ResolveAsync(grains, caller, ns, contextId);
        return Guid.TryParse(id, out var entityId)
            ? (grains.GetGrain<IEntityGrain>(EntityRules.Key(caller.TenantId, target.Home, entityId)), caller, target)
            : throw new NotFoundException("No entity exists with this id.");
    }

    /// <summary>c (and u with upsert) on the namespace; a collision's read grant is checked by the grain.</summary>
    private static void Demand(HttpContext context, string verb, string ns, bool upsert)
    {
        context.Demand($"entities:{verb}:{ns}");
        if (upsert)
        {
            context.Demand($"entities:u:{ns}");
        }
    }

    private static Task<EntityNamespace> ResolveAsync(IGrainFactory grains, CallerContext caller, string ns, string? contextId) =>
        grains.GetGrain<INamespaceRegistryGrain>(caller.TenantId).ResolveForEntitiesAsync(caller, ns, contextId);

    private static string? ContextId(HttpContext context) => QueryParams.Optional(context.Request, "contextId", maxLength: 64);
}
