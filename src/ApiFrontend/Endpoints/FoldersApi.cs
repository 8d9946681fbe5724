namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/folders</c> as the spec describes it (issue #3).</summary>
public static class FoldersApi
{
    public static IEndpointRouteBuilder MapFoldersApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
