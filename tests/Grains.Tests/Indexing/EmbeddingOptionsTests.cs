using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vectros.Grains.Indexing;
using Xunit;

namespace Vectros.Grains.Tests.Indexing;

/// <summary><c>Vectros:Embeddings</c>: the provider switch and the start-up checks.</summary>
public sealed class EmbeddingOptionsTests
{
    [Theory]
    [InlineData(null, typeof(MiniLmEmbedder))]
    [InlineData("MiniLM", typeof(MiniLmEmbedder))]
    [InlineData("hashing", typeof(HashingEmbedder))]
    [InlineData("OpenAI", typeof(OpenAiCompatibleEmbedder))]
    public void The_provider_setting_chooses_the_embedder_and_MiniLM_is_the_default(string? provider, Type expected)
    {
        using var services = EmbeddingTestServices.Build(new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = provider,
            ["Vectros:Embeddings:BaseUrl"] = "http://127.0.0.1:1/v1",
        });

        var embedder = services.GetRequiredService<IEmbedder>();

        Assert.IsType(expected, embedder);
        Assert.Equal(EmbeddingDimensions.Index, embedder.Dimensions);
    }

    [Theory]
    [InlineData("Dimensions", "1536", "Vectros:Embeddings:Dimensions is 1536")]
    [InlineData("BaseUrl", "not a url", "Vectros:Embeddings:BaseUrl")]
    [InlineData("BaseUrl", null, "Vectros:Embeddings:BaseUrl")]
    [InlineData("Model", "", "Vectros:Embeddings:Model")]
    [InlineData("Timeout", "00:00:00", "Vectros:Embeddings:Timeout")]
    public void An_OpenAI_configuration_the_index_cannot_use_is_refused_at_start_up(string key, string? value, string expected)
    {
        using var services = EmbeddingTestServices.Build(new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "OpenAI",
            ["Vectros:Embeddings:BaseUrl"] = "https://api.example.test/v1",
            ["Vectros:Embeddings:ApiKey"] = "sk-secret-never-shown",
            [$"Vectros:Embeddings:{key}"] = value,
        });

        // What the host runs before it starts (ValidateOnStart).
        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-never-shown", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_providers_ignore_the_OpenAI_settings()
    {
        using var services = EmbeddingTestServices.Build(new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "Hashing",
            ["Vectros:Embeddings:Dimensions"] = "1536",
        });

        services.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void An_unknown_provider_is_refused_at_start_up()
    {
        using var services = EmbeddingTestServices.Build(new Dictionary<string, string?> { ["Vectros:Embeddings:Provider"] = "Word2Vec" });

        var failure = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Vectros:Embeddings:Provider", failure.Message, StringComparison.Ordinal);
    }
}
