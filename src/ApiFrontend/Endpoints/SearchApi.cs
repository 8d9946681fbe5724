namespace Vectros.ApiFrontend.Endpoints;

/// <summary>Issue #8: the search routes.</summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
