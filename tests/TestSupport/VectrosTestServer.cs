using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Grpc.Core;
using Grpc.Net.Client;
using Vectros.ApiFrontend;
using Vectros.ApiFrontend.Grpc;
using Vectros.Silo;

namespace Vectros.TestSupport;

/// <summary>
/// The real application (API + embedded silo) on Kestrel at 127.0.0.1 with a random port, against a real
/// PostgreSQL database. Tests talk to it over real HTTP.
/// </summary>
public sealed class VectrosTestServer : IAsyncDisposable
{
    public const string OperatorToken = "test-operator-token-0123456789";

    /// <summary>A fixed test master key (32 bytes): test databases are throw-away.</summary>
    public const string MasterKey = "dGVzdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmcuLi4=";

    private readonly WebApplication _app;

    private VectrosTestServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        GrpcAddress = app.Services.GetRequiredService<GrpcListener>().Address;
    }

    public Uri BaseAddress { get; }

    /// <summary>The gRPC listener (HTTP/2), or null when a test turned it off.</summary>
    public Uri? GrpcAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="connectionString">Database to run against (see <see cref="TestDatabase"/>).</param>
    /// <param name="settings">
    /// Configuration overrides, e.g. <c>["Vectros:Outbox:LeaseTime"] = "00:00:02"</c>. The embedder defaults to
    /// <c>Hashing</c> here; <c>["Vectros:Embeddings:Provider"] = "MiniLM"</c> gives a test the real model.
    /// </param>
    /// <param name="configureServices">Extra services, e.g. a test purger.</param>
    public static async Task<VectrosTestServer> StartAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var app = ApiHostingExtensions.BuildVectrosApp(["--urls", "http://127.0.0.1:0"], builder =>
        {
            var config = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Vectros"] = connectionString,
                ["Vectros:OperatorToken"] = OperatorToken,
                ["Vectros:Security:MasterKey"] = MasterKey,
                ["Vectros:Outbox:PollInterval"] = "00:00:00.100",
                // Each test server is a one-silo cluster of its own, on ports nobody else holds.
                ["Vectros:Orleans:ClusterId"] = $"test-{Guid.NewGuid():N}",
                ["Vectros:Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Vectros:Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Logging:LogLevel:Default"] = "Warning",
                // Every test talks from 127.0.0.1 and many expect 401s: the failed-auth limit would trip across classes.
                // Tests of the limit start a server of their own with it set.
                ["Vectros:Auth:FailedAttemptsPerMinute"] = "0",
                // The token-exchange tests run their OpenID provider on loopback over plain http.
                ["Vectros:Auth:AllowLoopbackHttpJwks"] = "true",
                // Fast and deterministic for tests that do not judge relevance; a test that does sets
                // ["Vectros:Embeddings:Provider"] = "MiniLM" (the production default) in its settings.
                ["Vectros:Embeddings:Provider"] = "Hashing",
                // Webhook hosts and domain challenges resolve through the tests' own DNS server (TestDnsServer), so a
                // test can publish a TXT record or flip an address; nothing asks the machine's resolver.
                ["Vectros:Dns:Servers:0"] = TestDnsServer.Shared.Endpoint,
                // The internal gRPC API on a free port of its own (GrpcAddress).
                ["Vectros:Grpc:Endpoint"] = "127.0.0.1:0",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                config[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(config);
            configureServices?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new VectrosTestServer(app, new Uri(address));
    }

    /// <summary>
    /// A gRPC channel to this server; with <paramref name="bearer"/> every call carries <c>authorization: Bearer …</c>
    /// (over plain HTTP/2 too: the listener is loopback, as an internal service's sidecar or private network would be).
    /// </summary>
    public GrpcChannel CreateGrpcChannel(string? bearer = null)
    {
        var address = GrpcAddress ?? throw new InvalidOperationException("This server runs without its gRPC listener.");
        var options = new GrpcChannelOptions { MaxReceiveMessageSize = 16 << 20 };
        if (bearer is not null)
        {
            var credentials = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {bearer}");
                return Task.CompletedTask;
            });
            options.Credentials = ChannelCredentials.Create(ChannelCredentials.Insecure, credentials);
            options.UnsafeUseInsecureChannelCallCredentials = true;
        }

        return GrpcChannel.ForAddress(address, options);
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Signs up a partner through the developer portal; each test class uses its own.</summary>
    public async Task<TestPartner> CreatePartnerAsync(string name)
    {
        using var client = CreateClient(OperatorToken);
        var response = await client.PostAsJsonAsync("/developer/partners", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TestPartner>())!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record TestKey(string KeyId, string RawKey);

public sealed record TestPartner(Guid PartnerId, string Name, string LiveTenantId, string TestTenantId, TestKey LiveKey, TestKey TestKey);
