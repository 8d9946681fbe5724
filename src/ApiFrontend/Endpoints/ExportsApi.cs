using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Exports;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>POST /v1/admin/export</c> (spec createExport L2411) and <c>GET /v1/admin/export/{id}</c> (getExport L2460):
/// root keys only. The payload is served by <c>GET /files/exports/{token}</c>, a presigned URL with no
/// Authorization header (<see cref="ExportUrls"/>), streamed in slices so no process holds it whole.
/// </summary>
public static class ExportsApi
{
    /// <summary>Bytes fetched from the grain per slice of a download.</summary>
    private const int SliceBytes = 1 << 20;

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/export").WithTags("Compliance");
        group.MapPost("/", CreateAsync).DescribesBody<ExportRequest>().RequireRoot().WithName("createExport").WithSummary("Submit a data-export job")
            .Produces<ExportRequestResponse>(202).ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).RequireRoot().WithName("getExport").WithSummary("Get the status and result of an export job")
            .Produces<ExportRequestResponse>().ProducesApiErrors(403, 404);
        app.MapGet(ExportUrls.Route + "/{token}", DownloadAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var body = await JsonBody.ReadAsync<ExportRequest>(context.Request, context.RequestAborted);
        var job = await grains.GetGrain<IExportGrain>(ExportKeys.GrainKey(caller.TenantId)).CreateAsync(caller, body.ToCommand());
        return TypedResults.Json(ExportRequestResponse.From(job), ApiJson.Response, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains, ExportUrls urls)
    {
        var caller = context.GetCaller();
        var job = await grains.GetGrain<IExportGrain>(ExportKeys.GrainKey(caller.TenantId)).GetAsync(caller, id);
        if (job.Status != ExportJobView.Completed)
        {
            return TypedResults.Ok(ExportRequestResponse.From(job));
        }

        // Every poll mints a fresh URL, so a client that waited past expiresAt simply polls again (API-DIGEST §4.7).
        var (url, expiresAt) = urls.Issue(context.Request, caller.TenantId, job.ExportId, job.RetainUntil);
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Ok(ExportRequestResponse.From(job, url, expiresAt));
    }

    private static async Task DownloadAsync(string token, HttpContext context, IGrainFactory grains, ExportUrls urls)
    {
        var grant = urls.Open(token);
        var grain = grains.GetGrain<IExportGrain>(ExportKeys.GrainKey(grant.TenantId));
        var first = await grain.ReadAsync(grant.ExportId, 0, SliceBytes)
            ?? throw new NotFoundException("The export no longer exists.");
        var response = context.Response;
        response.ContentType = "application/x-ndjson";
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ContentDisposition = $"attachment; filename=\"{grant.ExportId}.ndjson\"";
        long offset = 0;
        var slice = first;
        while (slice is { Length: > 0 })
        {
            await response.Body.WriteAsync(slice, context.RequestAborted);
            offset += slice.Length;
            if (slice.Length < SliceBytes)
            {
                break;
            }

            slice = await grain.ReadAsync(grant.ExportId, offset, SliceBytes);
        }
    }
}
