using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// The 0.31 <c>/v1/clients</c> routes (spec L1303–L1700) as a view of the entities of the tenant's tenant-wide
/// <c>client</c> namespace (DESIGN §5a). A client's <c>orgId</c> is its parent scope <c>org:&lt;orgId&gt;</c>, which must
/// name an existing org. With the <c>client</c> namespace deleted, every route answers 400 naming it.
/// </summary>
public static class ClientsApi
{
    private const string Ns = OwnershipScopes.Client;

    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/clients").WithTags("Identity");

        group.MapGet("/", ListAsync).RequireScope("clients:r").WithName("listClients").WithSummary("List clients")
            .Produces<PageResponse<ClientResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<ClientRequest>().RequireScope("clients:c").WithName("createClient").WithSummary("Create a client (idempotent by external ID)")
            .Produces<ClientResponse>(201).Produces<ClientResponse>().ProducesApiErrors(400, 403, 409);
        group.MapPost("/lookup", LookupAsync).DescribesBody<IdentityLookupRequest>().RequireScope("clients:r").WithName("lookupClients")
            .WithSummary("Look up clients by field value (request-body variant)")
            .Produces<PageResponse<ClientResponse>>().ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).RequireScope("clients:r").WithName("getClient").WithSummary("Get a client by ID")
            .Produces<ClientResponse>().ProducesApiErrors(400, 403, 404);
        group.MapPut("/{id}", UpdateAsync).DescribesBody<ClientRequest>().RequireScope("clients:u").WithName("updateClient").WithSummary("Update a client")
            .Produces<ClientResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).RequireScope("clients:d").WithName("deleteClient").WithSummary("Delete a client")
            .Produces(204).ProducesApiErrors(400, 403, 404, 409);
        group.MapGet("/{id}/versions", VersionsAsync).RequireScope("clients:r").WithName("getClientVersions")
            .WithSummary("Get a client's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        return app;
    }

    /// <summary><c>?orgId=</c> is the parent filter <c>scope=org:&lt;orgId&gt;</c>.</summary>
    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var orgId = EntityFields.Uuid(context.Request, "orgId");
        if (orgId is not null && QueryParams.Optional(context.Request, "scope") is not null)
        {
            throw new ValidationException("orgId", "Give orgId or scope, not both: orgId is the scope org:<orgId>.");
        }

        var query = EntityFields.ListQuery(context.Request, orgId is null ? null : $"{OwnershipScopes.Org}:{orgId}");
        return TypedResults.Ok(ClientResponse.Page(await EntitiesApi.PageAsync(context, grains, Ns, null, query)));
    }

    private static async Task<IResult> LookupAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<IdentityLookupRequest>(context.Request, context.RequestAborted);
        return TypedResults.Ok(ClientResponse.Page(await EntitiesApi.PageAsync(context, grains, Ns, null, body.ToQuery(context))));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("clients:u");
        }

        var body = await JsonBody.ReadAsync<ClientRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(create: true);
        write = write with { Scopes = await ParentsAsync(context, grains, body.OrgId, write.Scopes ?? []) };
        var result = await EntitiesApi.CreateEntityAsync(context, grains, Ns, null, write, upsert);
        var response = ClientResponse.From(result.Entity, result.Created);
        return result.Created ? TypedResults.Created($"/v1/clients/{response.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, caller, target) = await EntitiesApi.GrainAsync(context, grains, Ns, null, id);
        return TypedResults.Ok(ClientResponse.From(await grain.GetAsync(caller, target)));
    }

    /// <summary>PUT: omitted fields are kept; a given <c>orgId</c> replaces the <c>org</c> parent and keeps the others.</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<ClientRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(create: false);
        var (grain, caller, target) = await EntitiesApi.GrainAsync(context, grains, Ns, null, id);
        if (body.OrgId is not null)
        {
            var current = write.Scopes ?? (await grain.GetAsync(caller, target)).Scopes;
            write = write with { Scopes = await ParentsAsync(context, grains, body.OrgId, current) };
        }

        return TypedResults.Ok(ClientResponse.From(await grain.UpdateAsync(caller, target, write)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, caller, target) = await EntitiesApi.GrainAsync(context, grains, Ns, null, id);
        await grain.DeleteAsync(caller, target);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(ModelDataVersionResponse.Page(await EntitiesApi.HistoryAsync(context, grains, Ns, null, id)));

    /// <summary>
    /// The client's parents with <paramref name="orgId"/> as its <c>org</c> entry. The org must exist, checked here so the
    /// 400 names <c>orgId</c> (the write batch checks every parent again, inside its transaction).
    /// </summary>
    private static async Task<IReadOnlyList<string>> ParentsAsync(HttpContext context, IGrainFactory grains, string? orgId, IReadOnlyList<string> scopes)
    {
        if (orgId is null)
        {
            return scopes;
        }

        if (!Guid.TryParse(orgId, out var id))
        {
            throw new ValidationException("orgId", "orgId must be the id (UUID) of an org.");
        }

        try
        {
            var (org, caller, target) = await EntitiesApi.GrainAsync(context, grains, OwnershipScopes.Org, null, id.ToString());
            await org.GetAsync(caller, target);
        }
        catch (NotFoundException)
        {
            throw new ValidationException("orgId", "orgId does not name an org of this tenant.");
        }

        return OwnershipScopes.With(scopes.Where(s => s is not null).ToList(), OwnershipScopes.Org, id.ToString(), "orgId");
    }
}
