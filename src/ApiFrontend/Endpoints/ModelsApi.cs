using Orleans;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>GET /v1/models</c> (spec L2851): the configured inference models with their pricing. The spec states no scope:
/// any valid credential may read the catalog (it is the same for every caller).
/// </summary>
public static class ModelsApi
{
    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", async (IGrainFactory grains) =>
                TypedResults.Ok(ModelsResponse.From(await grains.GetGrain<IModelCatalogGrain>(0).GetCatalogAsync())))
            .WithName("listInferenceModels").WithSummary("List available inference models").WithTags("Inference")
            .Produces<ModelsResponse>();
        return app;
    }
}
