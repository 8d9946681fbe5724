namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/records</c> as the spec describes it (issue #3).</summary>
public static class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
