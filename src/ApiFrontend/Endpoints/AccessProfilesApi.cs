using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/app-contexts/{contextId}/profiles</c> and <c>/v1/principals/{principalId}/profiles</c> (spec L408–L1167,
/// L3277; API-DELTA §8.5). Writes check <c>profiles:c|u|d</c> against the target principal, so a grant qualified with
/// <c>usr_&lt;id&gt;</c> or <c>self</c> reaches only that profile (CL 0.40).
/// </summary>
public static class AccessProfilesApi
{
    public static IEndpointRouteBuilder MapAccessProfilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/app-contexts/{contextId}/profiles").WithTags("Auth");
        group.MapGet("/", ListAsync).RequireScope("profiles:r").WithName("listAccessProfiles").WithSummary("List access profiles in an app context")
            .Produces<PageResponse<AccessProfileResponse>>().ProducesApiErrors(400, 403, 404);
        group.MapPost("/", CreateAsync).DescribesBody<AccessProfileRequest>().WithName("createAccessProfile").WithSummary("Create an access profile")
            .Produces<AccessProfileResponse>(201).Produces<AccessProfileResponse>().ProducesApiErrors(400, 403, 404);
        group.MapGet("/{principalId}", GetAsync).RequireScope("profiles:r").WithName("getAccessProfile").WithSummary("Get an access profile")
            .Produces<AccessProfileResponse>().ProducesApiErrors(403, 404);
        group.MapPut("/{principalId}", UpdateAsync).DescribesBody<AccessProfileRequest>().WithName("updateAccessProfile").WithSummary("Update an access profile")
            .Produces<AccessProfileResponse>().ProducesApiErrors(400, 403, 404);
        group.MapDelete("/{principalId}", DeleteAsync).WithName("deleteAccessProfile").WithSummary("Delete an access profile")
            .Produces(204).ProducesApiErrors(403, 404);
        group.MapGet("/{principalId}/versions", VersionsAsync).RequireScope("profiles:r").WithName("getAccessProfileVersions")
            .WithSummary("Get an access profile's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);

        app.MapGet("/v1/principals/{principalId}/profiles", ListForPrincipalAsync).WithTags("Auth").RequireScope("profiles:r")
            .WithName("listProfilesForPrincipal").WithSummary("List all access profiles for a principal across every context")
            .Produces<PageResponse<AccessProfileResponse>>().ProducesApiErrors(400, 403);
        return app;
    }

    private static async Task<IResult> ListAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: false);
        var limit = QueryParams.Limit(context.Request);
        var page = await grains.GetGrain<IAccessQueryGrain>(context.GetPrincipal().TenantId).ListProfilesAsync(ctx, ListCursors.Unwrap(context), limit);
        return await PageAsync(context, grains, page);
    }

    private static async Task<IResult> CreateAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        var actor = context.GetActor();
        var body = await JsonBody.ReadAsync<AccessProfileRequest>(context.Request, context.RequestAborted);
        var principalId = body.PrincipalId ?? throw new ValidationException("principalId", "principalId is required.");
        CheckPrincipal(principalId);
        var upsert = QueryParams.Flag(context.Request, "upsert");
        Demand(actor, 'c', principalId);
        if (upsert)
        {
            Demand(actor, 'u', principalId);
        }

        var write = body.ToWrite();
        if ((write.Scopes is null) == (write.RoleId is null))
        {
            throw new ValidationException("scopes", "Provide exactly one of scopes or roleId.");
        }

        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: true);
        var result = await Grain(context, grains, ctx, principalId).CreateAsync(actor, write, upsert);
        var response = await ProfileEmails.ResponseAsync(context, grains, result.Profile, result.Created);
        return result.Created ? TypedResults.Created($"/v1/app-contexts/{ctx}/profiles/{principalId}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string contextId, string principalId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: false);
        return TypedResults.Ok(await ProfileEmails.ResponseAsync(context, grains, await Grain(context, grains, ctx, principalId).GetAsync(context.GetCaller())));
    }

    private static async Task<IResult> UpdateAsync(string contextId, string principalId, HttpContext context, IGrainFactory grains)
    {
        var actor = context.GetActor();
        Demand(actor, 'u', principalId);
        var body = await JsonBody.ReadAsync<AccessProfileRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(); // a principalId in the body is ignored: the path names the profile
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: true);
        return TypedResults.Ok(await ProfileEmails.ResponseAsync(context, grains, await Grain(context, grains, ctx, principalId).UpdateAsync(actor, write)));
    }

    private static async Task<IResult> DeleteAsync(string contextId, string principalId, HttpContext context, IGrainFactory grains)
    {
        var actor = context.GetActor();
        Demand(actor, 'd', principalId);
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: true);
        await Grain(context, grains, ctx, principalId).DeleteAsync(actor);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string contextId, string principalId, HttpContext context, IGrainFactory grains)
    {
        var ctx = await AccessScope.ContextAsync(context, grains, contextId, write: false);
        var page = await Grain(context, grains, ctx, principalId).GetVersionsAsync(
            context.GetCaller(), QueryParams.Optional(context.Request, "startFrom"), QueryParams.Limit(context.Request));
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    /// <summary>
    /// Every context for a root key, for the caller's own principal, or with <c>context-directory-read</c>; otherwise at
    /// most the principal's one profile in the caller's own context (CL 0.40).
    /// </summary>
    private static async Task<IResult> ListForPrincipalAsync(string principalId, HttpContext context, IGrainFactory grains)
    {
        CheckPrincipal(principalId);
        var principal = context.GetPrincipal();
        var own = string.Equals(principalId, principal.PrincipalId, StringComparison.Ordinal);
        var onlyContext = principal.IsRoot || own || context.HasCapability("context-directory-read") ? null : principal.ContextId;
        var limit = QueryParams.Limit(context.Request);
        var page = await grains.GetGrain<IAccessQueryGrain>(principal.TenantId).ListForPrincipalAsync(principalId, onlyContext, ListCursors.Unwrap(context), limit);
        return await PageAsync(context, grains, page);
    }

    private static async Task<IResult> PageAsync(HttpContext context, IGrainFactory grains, AccessProfilePage page) => TypedResults.Ok(
        new PageResponse<AccessProfileResponse>(await ProfileEmails.ResponsesAsync(context, grains, page.Data), ListCursors.Wrap(context, page.NextCursor)));

    private static void Demand(AccessActor actor, char op, string principalId)
    {
        if (!ProfileAuthority.CanActOn(actor, op, principalId))
        {
            throw new ForbiddenException($"This operation requires the 'profiles:{op}' scope for this principal.");
        }
    }

    private static void CheckPrincipal(string principalId)
    {
        if (!PrincipalIds.IsValid(principalId))
        {
            throw new ValidationException("principalId",
                "principalId must be 'usr_<userId>' or 'key_<keyId>', the suffix made of letters, digits, '_' and '-'.");
        }
    }

    /// <summary>The profile's grain; a malformed principalId is as absent as a missing one.</summary>
    private static IAccessProfileGrain Grain(HttpContext context, IGrainFactory grains, string contextId, string principalId) =>
        PrincipalIds.IsValid(principalId)
            ? grains.GetGrain<IAccessProfileGrain>(AccessKeys.Of(context.GetPrincipal().TenantId, contextId, principalId))
            : throw new NotFoundException("No access profile exists with this principalId in the given context.");
}
