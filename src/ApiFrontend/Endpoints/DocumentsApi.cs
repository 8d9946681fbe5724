namespace Vectros.ApiFrontend.Endpoints;

/// <summary>Issue #8: the documents routes.</summary>
public static class DocumentsApi
{
    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
