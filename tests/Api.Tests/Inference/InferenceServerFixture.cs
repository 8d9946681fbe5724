using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Inference;
using Vectros.Grains.Metering;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>
/// A server of its own for the inference tests: scripted chat models behind the real registry seam, a usage meter a
/// test can make refuse, fast heartbeats, and small RAG and ask budgets so truncation and 413 need little text.
/// </summary>
public sealed class InferenceServerFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public ScriptedChatModels Models { get; } = new(slowSilence: TimeSpan.FromSeconds(1));

    public RefusingUsageMeter Meter { get; } = new();

    public NpgsqlDataSource Db => Server.Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("inference");
        Server = await VectrosTestServer.StartAsync(
            _db.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Vectros:Inference:Calls:HeartbeatInterval"] = "00:00:00.200",
                ["Vectros:Inference:Calls:RagContextTokenCap"] = "300",
                ["Vectros:Inference:Calls:AskMaxDocumentTokens"] = "2000",
                ["Vectros:Inference:Calls:MaxTopUpCents"] = "50000",
            },
            services =>
            {
                services.AddSingleton<IChatModelRegistry>(Models);
                services.AddSingleton<IUsageMeter>(Meter);
            });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class InferenceCollection : ICollectionFixture<InferenceServerFixture>
{
    public const string Name = "inference";
}
