using Microsoft.Extensions.DependencyInjection;

namespace Vectros.Grains.Documents;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>Services of the documents area (issue #8): its options (URL lifetimes, the largest file).</summary>
    public static IServiceCollection AddVectrosDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
