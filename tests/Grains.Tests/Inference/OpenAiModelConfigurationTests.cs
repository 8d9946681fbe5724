using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vectros.Grains.Inference;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Grains.Tests.Inference;

/// <summary>
/// A <c>Backend: "OpenAI"</c> entry of <c>Vectros:Inference:Models</c> builds the streaming provider, under the alias
/// callers use, talking to the upstream model name; a bad entry stops start-up naming the model, never the key.
/// </summary>
public sealed class OpenAiModelConfigurationTests
{
    private const string ApiKey = "sk-config-test-SECRET-42";

    [Fact]
    public async Task An_OpenAI_entry_is_served_under_its_alias_and_asks_for_the_upstream_model()
    {
        await using var fake = await FakeChatServer.StartAsync();
        await using var services = Build(fake.ModelSettings("team-chat", upstreamModel: "gpt-upstream-name"));

        var model = services.GetRequiredService<IChatModelRegistry>().Find("team-chat");

        Assert.IsType<OpenAiCompatibleChatModel>(model);
        Assert.Contains(services.GetRequiredService<IChatModelRegistry>().Catalog.Models, m => m.Id == "team-chat" && m.Provider == "OpenAI");
        var text = new List<string?>();
        await foreach (var chunk in model!.StreamAsync(
            new ChatModelPrompt { Turns = [new("user", "hello")], Question = "hello", MaxTokens = 50, Temperature = 0 }, CancellationToken.None))
        {
            text.Add(chunk.Delta);
        }

        Assert.Equal(fake.Answer, string.Concat(text));
        var request = Assert.Single(fake.Requests);
        Assert.Equal("gpt-upstream-name", request.Json.GetProperty("model").GetString());
        Assert.Equal($"Bearer {FakeChatServer.ApiKey}", request.Authorization);
    }

    [Fact]
    public async Task A_missing_key_stops_start_up_naming_the_model()
    {
        var entry = Entry("https://api.example.test/v1");
        entry.Remove("Vectros:Inference:Models:0:ApiKey");
        await using var services = Build(entry);

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);

        Assert.Contains("'team-chat'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey is required", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://127.0.0.1/v1")]
    public async Task A_base_url_other_than_https_or_http_stops_start_up_without_showing_the_key(string baseUrl)
    {
        await using var services = Build(Entry(baseUrl));

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);

        Assert.Contains("'team-chat'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("BaseUrl must be an absolute https URL", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://api.openai.com/v1", false)]
    [InlineData("https://models.example.test/v1", false)]
    [InlineData("http://127.0.0.1:11434/v1", true)]
    [InlineData("http://localhost:8000/v1", true)]
    [InlineData("http://vllm.internal:8000/v1", true)]
    [InlineData("https://10.0.0.5/v1", true)]
    public async Task Https_and_with_the_opt_out_http_or_inside_addresses_are_accepted(string baseUrl, bool allowPrivateNetwork)
    {
        var entry = Entry(baseUrl);
        entry["Vectros:Inference:Models:0:AllowPrivateNetwork"] = allowPrivateNetwork ? "true" : "false";
        await using var services = Build(entry);

        Assert.Single(services.GetRequiredService<IOptions<InferenceOptions>>().Value.Models);
    }

    [Theory]
    [InlineData("http://127.0.0.1:11434/v1")]
    [InlineData("http://localhost:8000/v1")]
    [InlineData("http://vllm.internal:8000/v1")]
    public async Task Plain_http_without_the_opt_out_stops_start_up(string baseUrl)
    {
        await using var services = Build(Entry(baseUrl));

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);

        Assert.Contains("or http with AllowPrivateNetwork", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://localhost/v1")]
    [InlineData("https://127.0.0.1:8443/v1")]
    [InlineData("https://10.0.0.5/v1")]
    [InlineData("https://169.254.169.254/v1")]
    [InlineData("https://[::1]:8443/v1")]
    public async Task An_inside_address_without_the_opt_out_stops_start_up(string baseUrl)
    {
        await using var services = Build(Entry(baseUrl));

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);

        Assert.Contains("'team-chat'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("set AllowPrivateNetwork: true", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://169.254.169.254/v1")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("https://[fe80::1]/v1")]
    [InlineData("http://0.0.0.0:8000/v1")]
    public async Task Link_local_and_reserved_addresses_stop_start_up_even_with_the_opt_out(string baseUrl)
    {
        var entry = Entry(baseUrl);
        entry["Vectros:Inference:Models:0:AllowPrivateNetwork"] = "true";
        await using var services = Build(entry);

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);

        Assert.Contains("refuses even with AllowPrivateNetwork", refused.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Entry(string baseUrl) => new()
    {
        ["Vectros:Inference:Models:0:Id"] = "team-chat",
        ["Vectros:Inference:Models:0:Provider"] = "OpenAI",
        ["Vectros:Inference:Models:0:Backend"] = "OpenAI",
        ["Vectros:Inference:Models:0:BaseUrl"] = baseUrl,
        ["Vectros:Inference:Models:0:ApiKey"] = ApiKey,
        ["Vectros:Inference:Models:0:UpstreamModel"] = "gpt-upstream-name",
        ["Vectros:Inference:Models:0:InputCreditsPer1kTokens"] = "0.1",
        ["Vectros:Inference:Models:0:OutputCreditsPer1kTokens"] = "0.5",
    };

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddVectrosInference();
        return services.BuildServiceProvider();
    }
}
