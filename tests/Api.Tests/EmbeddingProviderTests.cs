using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vectros.Grains.Indexing;
using Vectros.Grains.Indexing.Extraction;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The embedder the server runs with (issue #8 item 4): test servers default to the hashing embedder, a test can ask
/// for the real MiniLM model, and an OpenAI configuration the index cannot use stops the server from starting.
/// </summary>
public sealed class EmbeddingProviderTests
{
    [Fact]
    public async Task Test_servers_default_to_the_hashing_embedder()
    {
        var server = await SharedServer.GetAsync();

        Assert.IsType<HashingEmbedder>(server.Services.GetRequiredService<IEmbedder>());
        Assert.IsType<TextExtractor>(server.Services.GetRequiredService<ITextExtractor>());
    }

    [Fact]
    public async Task A_test_can_run_the_server_with_the_real_MiniLM_model()
    {
        await using var db = await TestDatabase.CreateAsync("minilm");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "MiniLM",
        });

        var embedder = server.Services.GetRequiredService<IEmbedder>();
        var vectors = await embedder.EmbedAsync(["reset my password", "recover account access", "giraffes eat acacia leaves"], CancellationToken.None);

        Assert.IsType<MiniLmEmbedder>(embedder);
        Assert.True(Dot(vectors[0], vectors[1]) > Dot(vectors[0], vectors[2]) + 0.3f);
    }

    [Fact]
    public async Task An_OpenAI_model_of_another_width_stops_the_server_at_start_up()
    {
        await using var db = await TestDatabase.CreateAsync("embedwidth");

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "OpenAI",
            ["Vectros:Embeddings:BaseUrl"] = "https://api.example.test/v1",
            ["Vectros:Embeddings:ApiKey"] = "sk-never-printed",
            ["Vectros:Embeddings:Dimensions"] = "1536",
        }));

        Assert.Contains("Vectros:Embeddings:Dimensions is 1536", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-never-printed", refused.Message, StringComparison.Ordinal);
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
