using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Indexing;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>The production registration (<see cref="EmbeddingServiceCollectionExtensions.AddVectrosEmbeddings"/>) over in-memory settings.</summary>
public static class EmbeddingTestServices
{
    public static ServiceProvider Build(IDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddVectrosEmbeddings();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static float Cosine(float[] a, float[] b)
    {
        var dot = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
        }

        return dot;
    }

    public static float Norm(float[] v) => MathF.Sqrt(v.Sum(x => x * x));
}
