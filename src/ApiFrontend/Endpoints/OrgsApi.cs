using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// The 0.31 <c>/v1/orgs</c> routes (spec L2873–L3270) as a view of the entities of the tenant's tenant-wide
/// <c>org</c> namespace (DESIGN §5a): an org created here is the entity at <c>/v1/entities/org</c>, and back. With
/// the <c>org</c> namespace deleted, every route answers 400 naming it (API-DELTA §15 item 1). The 0.31 OrgRequest and
/// OrgResponse are the entity shapes (an org has exactly an entity's members), so the route speaks those.
/// </summary>
public static class OrgsApi
{
    private const string Ns = OwnershipScopes.Org;

    public static IEndpointRouteBuilder MapOrgsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/orgs").WithTags("Identity");

        group.MapGet("/", ListAsync).RequireScope("orgs:r").WithName("listOrgs").WithSummary("List organizations")
            .Produces<PageResponse<EntityResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<EntityRequest>().RequireScope("orgs:c").WithName("createOrg").WithSummary("Create an organization (idempotent by external ID)")
            .Produces<EntityResponse>(201).Produces<EntityResponse>().ProducesApiErrors(400, 403, 409);
        group.MapPost("/lookup", LookupAsync).DescribesBody<IdentityLookupRequest>().RequireScope("orgs:r").WithName("lookupOrgs")
            .WithSummary("Look up organizations by field value (request-body variant)")
            .Produces<PageResponse<EntityResponse>>().ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).RequireScope("orgs:r").WithName("getOrg").WithSummary("Get an organization by ID")
            .Produces<EntityResponse>().ProducesApiErrors(400, 403, 404);
        group.MapPut("/{id}", UpdateAsync).DescribesBody<EntityRequest>().RequireScope("orgs:u").WithName("updateOrg").WithSummary("Update an organization")
            .Produces<EntityResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).RequireScope("orgs:d").WithName("deleteOrg").WithSummary("Delete an organization")
            .Produces(204).ProducesApiErrors(400, 403, 404, 409);
        group.MapGet("/{id}/versions", VersionsAsync).RequireScope("orgs:r").WithName("getOrgVersions")
            .WithSummary("Get an organization's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(EntityResponse.Page(await EntitiesApi.PageAsync(context, grains, Ns, null, EntityFields.ListQuery(context.Request))));

    private static async Task<IResult> LookupAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<IdentityLookupRequest>(context.Request, context.RequestAborted);
        return TypedResults.Ok(EntityResponse.Page(await EntitiesApi.PageAsync(context, grains, Ns, null, body.ToQuery(context))));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("orgs:u");
        }

        var body = await JsonBody.ReadAsync<EntityRequest>(context.Request, context.RequestAborted);
        var result = await EntitiesApi.CreateEntityAsync(context, grains, Ns, null, body.ToWrite(create: true), upsert);
        var response = EntityResponse.From(result.Entity, result.Created);
        return result.Created ? TypedResults.Created($"/v1/orgs/{response.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, caller, target) = await EntitiesApi.GrainAsync(context, grains, Ns, null, id);
        return TypedResults.Ok(EntityResponse.From(await grain.GetAsync(caller, target)));
    }

    /// <summary>PUT: omitted fields are kept, a given payload replaces the stored one whole (spec L3085).</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<EntityRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(create: false);
        var (grain, caller, target) = await EntitiesApi.GrainAsync(context, grains, Ns, null, id);
        return TypedResults.Ok(EntityResponse.From(await grain.UpdateAsync(caller, target, write)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, caller, target) = await EntitiesApi.GrainAsync(context, grains, Ns, null, id);
        await grain.DeleteAsync(caller, target);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(ModelDataVersionResponse.Page(await EntitiesApi.HistoryAsync(context, grains, Ns, null, id)));
}
