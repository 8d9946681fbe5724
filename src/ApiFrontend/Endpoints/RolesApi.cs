using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/app-contexts/{contextId}/roles</c> (spec L641–L1210, API-DELTA §8.5). <c>profiles:*</c> covers roles.</summary>
public static class RolesApi
{
    public static IEndpointRouteBuilder MapRolesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/app-contexts/{contextId}/roles").WithTags("Auth");
        group.MapGet("/", ListAsync).RequireScope("profiles:r").WithName("listRoles").WithSummary("List roles in an app context")
            .Produces<PageResponse<RoleResponse>>().ProducesApiErrors(400, 403, 404);
        group.MapPost("/", CreateAsync).DescribesBody<RoleRequest>().RequireScope("profiles:c").WithName("createRole").WithSummary("Create a role")
            .Produces<RoleResponse>(201).Produces<RoleResponse>().ProducesApiErrors(400, 403, 404);
        group.MapGet("/{roleId}", GetAsync).RequireScope("profiles:r").WithName("getRole").WithSummary("Get a role")
            .Produces<RoleResponse>().ProducesApiErrors(403, 404);
        group.MapPut("/{roleId}", UpdateAsync).DescribesBody<RoleRequest>().RequireScope("profiles:u").WithName("updateRole").WithSummary("Update a role")
            .Produces<RoleResponse>().ProducesApiErrors(400, 403, 404);
        group.MapDelete("/{roleId}", DeleteAsync).RequireScope("profiles:d").WithName("deleteRole").WithSummary("Delete a role")
            .Produces(204).ProducesApiErrors(403, 404, 409);
        group.MapGet("/{roleId}/versions", VersionsAsync).RequireScope("profiles:r").WithName("getRoleVersions").WithSummary("Get a role's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: false);
        var limit = QueryParams.Limit(context.Request);
        var page = await grains.GetGrain<IAccessQueryGrain>(context.GetPrincipal().TenantId).ListRolesAsync(ctx, ListCursors.Unwrap(context), limit);
        return TypedResults.Ok(new PageResponse<RoleResponse>(page.Data.Select(r => RoleResponse.From(r)).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    private static async Task<IResult> CreateAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("profiles:u");
        }

        var body = await JsonBody.ReadAsync<RoleRequest>(context.Request, context.RequestAborted);
        if (string.IsNullOrEmpty(body.RoleId))
        {
            throw new ValidationException("roleId", "roleId is required.");
        }

        if (!AppContextKeys.IsValidContextId(body.RoleId))
        {
            throw new ValidationException("roleId", "roleId must be 3-31 characters, start with a lowercase letter and contain only lowercase letters, digits and hyphens.");
        }

        var write = body.ToWrite();
        if (write.Name is null)
        {
            throw new ValidationException("name", "name is required.");
        }

        if (write.Scopes is null)
        {
            throw new ValidationException("scopes", "scopes is required.");
        }

        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: true);
        var result = await Grain(context, grains, ctx, body.RoleId).CreateAsync(context.GetActor(), write, upsert);
        var response = RoleResponse.From(result.Role, result.Created);
        return result.Created ? TypedResults.Created($"/v1/app-contexts/{ctx}/roles/{body.RoleId}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string contextId, string roleId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: false);
        return TypedResults.Ok(RoleResponse.From(await Grain(context, grains, ctx, roleId).GetAsync(context.GetCaller())));
    }

    private static async Task<IResult> UpdateAsync(string contextId, string roleId, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<RoleRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(); // a roleId in the body is ignored: the path names the role
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: true);
        return TypedResults.Ok(RoleResponse.From(await Grain(context, grains, ctx, roleId).UpdateAsync(context.GetActor(), write)));
    }

    private static async Task<IResult> DeleteAsync(string contextId, string roleId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: true);
        await Grain(context, grains, ctx, roleId).DeleteAsync(context.GetActor());
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string contextId, string roleId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: false);
        var page = await Grain(context, grains, ctx, roleId).GetVersionsAsync(
            context.GetCaller(), QueryParams.Optional(context.Request, "startFrom"), QueryParams.Limit(context.Request));
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    /// <summary>The role's grain; a malformed roleId is as absent as a missing one.</summary>
    private static IAccessRoleGrain Grain(HttpContext context, IGrainFactory grains, string contextId, string roleId) =>
        AppContextKeys.IsValidContextId(roleId)
            ? grains.GetGrain<IAccessRoleGrain>(AccessKeys.Of(context.GetPrincipal().TenantId, contextId, roleId))
            : throw new NotFoundException("No role exists with this roleId in the given context.");
}
