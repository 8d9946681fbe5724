using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// A server of its own that delivers webhooks to an <see cref="HttpsReceiver"/> (set up only through
/// <see cref="WebhookTestBed"/>), with a short retry schedule (3 attempts, no jitter) and auto-disable after 4
/// consecutive failures with no minimum span, so retry behaviour shows in seconds. Each test answers on its own path
/// (<see cref="RespondOn"/>) and reads its own requests (<see cref="ReceivedOn"/>).
/// </summary>
public class WebhookServerFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Func<ReceivedWebhook, (int, IReadOnlyDictionary<string, string>?)>> _responders = new();
    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public HttpsReceiver Receiver { get; private set; } = null!;

    public HttpClient Operator { get; private set; } = null!;

    public NpgsqlDataSource Db => Server.Services.GetRequiredService<NpgsqlDataSource>();

    public ObservedEmbedder Embedder { get; } = new();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("webhooks");
        Receiver = await HttpsReceiver.StartAsync();
        Receiver.Respond = r => _responders.TryGetValue(PathOf(r), out var respond) ? respond(r) : (200, null);
        var settings = Settings(Receiver);
        foreach (var (key, value) in ExtraSettings())
        {
            settings[key] = value;
        }

        Server = await VectrosTestServer.StartAsync(_db.ConnectionString, settings, ConfigureServices);
        Operator = Server.CreateClient(VectrosTestServer.OperatorToken);
    }

    /// <summary>What every webhook test server gets: the test bed's settings plus the fast schedule.</summary>
    public static Dictionary<string, string?> Settings(HttpsReceiver receiver)
    {
        var settings = new Dictionary<string, string?>(WebhookTestBed.Settings(receiver))
        {
            ["Vectros:Webhooks:RetrySchedule:0"] = "00:00:00.300",
            ["Vectros:Webhooks:RetrySchedule:1"] = "00:00:00.300",
            ["Vectros:Webhooks:RetryJitter"] = "0",
            ["Vectros:Webhooks:AutoDisableAfterFailures"] = "4",
            ["Vectros:Webhooks:AutoDisableMinimumSpan"] = "00:00:00",
            ["Vectros:Webhooks:EventPollInterval"] = "00:00:00.100",
            ["Vectros:Orleans:MinimumReminderPeriod"] = "00:00:01",
            ["Vectros:Indexing:MaxAttempts"] = "2",
        };
        return settings;
    }

    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    protected virtual void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<Vectros.Grains.Indexing.IEmbedder>(Embedder);

    public void RespondOn(string path, Func<ReceivedWebhook, (int, IReadOnlyDictionary<string, string>?)> respond) => _responders[path] = respond;

    public IReadOnlyList<ReceivedWebhook> ReceivedOn(string path) => Receiver.Received.Where(r => PathOf(r) == path).ToList();

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitOnAsync(string path, int count) =>
        await WaitAsync(Receiver, path, count);

    public static async Task<IReadOnlyList<ReceivedWebhook>> WaitAsync(HttpsReceiver receiver, string path, int count)
    {
        await Poll.UntilAsync(() => receiver.Received.Count(r => PathOf(r) == path) >= count, $"{count} webhook requests on {path}");
        return receiver.Received.Where(r => PathOf(r) == path).ToList();
    }

    public static string PathOf(ReceivedWebhook r) => r.Path.Split('?')[0];

    /// <summary>Registers a webhook through the portal; returns the 201 body (registration and secret).</summary>
    public Task<JsonElement> RegisterAsync(Guid partnerId, string environment, string path, string[]? eventTypes = null, string[]? algorithms = null) =>
        RegisterAsync(Operator, Receiver, partnerId, environment, path, eventTypes, algorithms);

    public static async Task<JsonElement> RegisterAsync(
        HttpClient op, HttpsReceiver receiver, Guid partnerId, string environment, string path, string[]? eventTypes = null, string[]? algorithms = null)
    {
        await WebhookTestBed.PrepareDomainAsync(op, partnerId);
        var response = await op.PostAsJsonAsync("/developer/webhooks", new
        {
            partnerId,
            environment,
            url = WebhookTestBed.UrlFor(receiver, path),
            eventTypes = eventTypes ?? ["record.indexed", "record.failed", "document.indexed", "document.failed"],
            description = "test hook",
            signatureAlgorithms = algorithms,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An events row as indexing writes it (the outbox the dispatcher drains).</summary>
    public Task<Guid> InsertEventAsync(string tenantId, string type, string dataJson = """{"id":"x","scopes":[]}""") => InsertEventAsync(Db, tenantId, type, dataJson);

    public static async Task<Guid> InsertEventAsync(NpgsqlDataSource db, string tenantId, string type, string dataJson = """{"id":"x","scopes":[]}""")
    {
        var id = Guid.NewGuid();
        await using var cmd = db.CreateCommand(
            "INSERT INTO events (event_id, tenant_id, context_id, type, source_id, data) VALUES ($1, $2, 'default', $3, $4, $5::jsonb)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = type });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.NewGuid() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = dataJson });
        await cmd.ExecuteNonQueryAsync();
        return id;
    }

    public async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await Operator.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        Operator.Dispose();
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        await _db.DisposeAsync();
    }
}
