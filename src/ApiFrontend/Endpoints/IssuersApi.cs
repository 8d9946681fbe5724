using Microsoft.Extensions.Options;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Issuers;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/auth/issuers</c> (API-DELTA §8.7): the external OpenID issuers whose ID tokens <c>POST /v1/auth/token/exchange</c>
/// accepts. Root keys only: this codebase has no bootstrap credential, so the "bootstrap for its own context" case is absent.
/// </summary>
public static class IssuersApi
{
    public static IEndpointRouteBuilder MapIssuersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/auth/issuers").WithTags("Auth").RequireRoot();
        group.MapGet("/", ListAsync).WithName("listIssuers").WithSummary("List external issuers")
            .Produces<PageResponse<IssuerResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<IssuerRequest>().WithName("registerIssuer").WithSummary("Register an external issuer")
            .Produces<IssuerResponse>(201).Produces<IssuerResponse>().ProducesApiErrors(400, 403);
        group.MapGet("/{issuerId}", GetAsync).WithName("getIssuer").WithSummary("Get an external issuer")
            .Produces<IssuerResponse>().ProducesApiErrors(403, 404);
        group.MapDelete("/{issuerId}", DeleteAsync).WithName("deleteIssuer").WithSummary("Delete an external issuer")
            .Produces(204).ProducesApiErrors(403, 404, 409);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var limit = QueryParams.Limit(context.Request);
        var caller = context.GetCaller();
        var page = await Registry(grains, caller.TenantId).ListAsync(caller, ListCursors.Unwrap(context), limit);
        return TypedResults.Ok(new PageResponse<IssuerResponse>(
            page.Data.Select(i => IssuerResponse.From(i)).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, IOptions<AuthOptions> options)
    {
        var body = await JsonBody.ReadAsync<IssuerRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(options.Value);
        var caller = context.GetCaller();
        var result = await Registry(grains, caller.TenantId).CreateAsync(caller, context.GetPrincipal().Environment, write);
        var response = IssuerResponse.From(result.Issuer, result.Created);
        return result.Created ? TypedResults.Created($"/v1/auth/issuers/{write.IssuerId}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string issuerId, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        return TypedResults.Ok(IssuerResponse.From(await Registry(grains, caller.TenantId).GetAsync(caller, issuerId)));
    }

    private static async Task<IResult> DeleteAsync(string issuerId, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        await Registry(grains, caller.TenantId).DeleteAsync(caller, issuerId);
        return TypedResults.NoContent();
    }

    private static IIssuerRegistryGrain Registry(IGrainFactory grains, string tenantId) => grains.GetGrain<IIssuerRegistryGrain>(tenantId);
}
