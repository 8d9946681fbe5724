using System.Diagnostics;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>POST /v1/search</c> (spec L4436, API-DELTA §7): one search over the caller's documents and records, run by the
/// context's search grain. The credential needs <c>search:r</c>; tenant and context come from it, never the body.
/// </summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/search", SearchAsync).DescribesBody<SearchRequest>().RequireScope("search:r").WithTags("Search")
            .WithName("searchContent").WithSummary("Search your indexed content (documents and records)")
            .Produces<SearchResponse>().ProducesApiErrors(400, 403, 503);
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IGrainFactory grains)
    {
        var started = Stopwatch.GetTimestamp();
        var caller = context.GetCaller();
        var body = await JsonBody.ReadAsync<SearchRequest>(context.Request, context.RequestAborted);
        var query = SearchRequestReader.Read(body);
        var outcome = await grains.GetGrain<ISearchGrain>(caller.ContextKey).SearchAsync(caller, query, context.RequestAborted);
        return TypedResults.Ok(SearchResponse.From(outcome, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds));
    }
}
