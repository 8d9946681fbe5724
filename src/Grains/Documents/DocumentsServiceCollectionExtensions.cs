using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Documents;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>Services and workers of the documents area (issue #8).</summary>
    public static IServiceCollection AddVectrosDocuments(this IServiceCollection services)
    {
        return services;
    }
}
