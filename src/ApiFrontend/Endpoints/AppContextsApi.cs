using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Orleans;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/app-contexts</c> exactly as the spec describes it (L536–L1030).</summary>
public static class AppContextsApi
{
    private const int MaxNameLength = 200;
    private const int MaxDescriptionLength = 2000;

    public static IEndpointRouteBuilder MapAppContextsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/app-contexts").WithTags("Auth");

        group.MapGet("/", ListAsync).RequireScope("app-contexts:r").WithName("listAppContexts").WithSummary("List app contexts")
            .Produces<PageResponse<AppContextResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<AppContextRequest>().RequireScope("app-contexts:c").WithName("createAppContext").WithSummary("Create an app context")
            .Produces<AppContextResponse>(201).Produces<AppContextResponse>().ProducesApiErrors(400, 403);
        group.MapGet("/{contextId}", GetAsync).RequireScope("app-contexts:r").WithName("getAppContext").WithSummary("Get an app context")
            .Produces<AppContextResponse>().ProducesApiErrors(403, 404);
        group.MapPut("/{contextId}", UpdateAsync).DescribesBody<AppContextRequest>().RequireScope("app-contexts:u").WithName("updateAppContext").WithSummary("Update an app context")
            .Produces<AppContextResponse>().ProducesApiErrors(400, 403, 404);
        group.MapDelete("/{contextId}", DeleteAsync).RequireRoot().WithName("deleteAppContext").WithSummary("Delete an app context")
            .Produces(202).ProducesApiErrors(400, 403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var principal = context.GetPrincipal();
        var limit = QueryParams.Limit(context.Request);
        var startFrom = ListCursors.Unwrap(context);
        var page = await grains.GetGrain<IAppContextQueryGrain>(principal.TenantId).ListAsync(startFrom, limit);
        return TypedResults.Ok(new PageResponse<AppContextResponse>(
            page.Data.Select(v => AppContextResponse.From(v)).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var principal = context.GetPrincipal();
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("app-contexts:u");
        }

        var body = await JsonBody.ReadAsync<AppContextRequest>(context.Request, context.RequestAborted);
        var result = await CreateContextAsync(principal, grains, body, upsert);
        var response = AppContextResponse.From(result.Context, result.Created);
        return result.Created ? TypedResults.Created($"/v1/app-contexts/{body.ContextId}", response) : TypedResults.Ok(response);
    }

    /// <summary>A create of a read body, shared with the gRPC service; the caller has checked the upsert scope.</summary>
    internal static Task<AppContextCreateResult> CreateContextAsync(Principal principal, IGrainFactory grains, AppContextRequest body, bool upsert)
    {
        if (string.IsNullOrEmpty(body.ContextId))
        {
            throw new ValidationException("contextId", "contextId is required.");
        }

        if (!AppContextKeys.IsValidContextId(body.ContextId))
        {
            throw new ValidationException("contextId",
                "contextId must be 3-31 characters, start with a lowercase letter and contain only lowercase letters, digits and hyphens.");
        }

        var name = RequireName(body.Name);
        var description = CheckDescription(body.Description);
        return grains.GetGrain<IAppContextGrain>(AppContextKeys.Composite(principal.TenantId, body.ContextId))
            .CreateAsync(new CreateAppContextCommand(name, description, upsert));
    }

    private static async Task<IResult> GetAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        var view = await Grain(context, grains, contextId).GetAsync() ?? throw NotFound();
        return TypedResults.Ok(AppContextResponse.From(view));
    }

    private static async Task<IResult> UpdateAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        var grain = Grain(context, grains, contextId);
        var body = await JsonBody.ReadAsync<AppContextRequest>(context.Request, context.RequestAborted);

        var view = await grain.UpdateAsync(UpdateCommand(body));
        return TypedResults.Ok(AppContextResponse.From(view));
    }

    /// <summary>Partial: omitted or null keeps the value; the body's contextId is ignored (the path names the context).</summary>
    internal static UpdateAppContextCommand UpdateCommand(AppContextRequest body) =>
        new(body.Name is null ? null : RequireName(body.Name), CheckDescription(body.Description));

    private static async Task<IResult> DeleteAsync(string contextId, HttpContext context, IGrainFactory grains)
    {
        CheckConfirm(context.Request.Query["confirm"].ToString(), contextId);
        await Grain(context, grains, contextId).DeleteAsync();
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Deleting is irreversible, so the caller repeats the contextId.</summary>
    internal static void CheckConfirm(string confirm, string contextId)
    {
        if (confirm.Length == 0)
        {
            throw new ValidationException("confirm", "Deleting an app context is irreversible: pass ?confirm={contextId}.");
        }

        if (!string.Equals(confirm, contextId, StringComparison.Ordinal))
        {
            throw new ValidationException("confirm", "confirm must exactly equal the contextId being deleted.");
        }
    }

    /// <summary>The grain for a context of the caller's tenant. A malformed id is as absent as a missing one.</summary>
    internal static IAppContextGrain Grain(HttpContext context, IGrainFactory grains, string contextId) =>
        AppContextKeys.IsValidContextId(contextId)
            ? grains.GetGrain<IAppContextGrain>(AppContextKeys.Composite(context.GetPrincipal().TenantId, contextId))
            : throw NotFound();

    internal static NotFoundException NotFound() => new("No app context exists with this contextId.");

    private static string RequireName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new ValidationException("name", "name is required.");
        }

        return trimmed.Length <= MaxNameLength
            ? trimmed
            : throw new ValidationException("name", $"name must be at most {MaxNameLength} characters.");
    }

    private static string? CheckDescription(string? description) =>
        description is { Length: > MaxDescriptionLength }
            ? throw new ValidationException("description", $"description must be at most {MaxDescriptionLength} characters.")
            : description;
}
