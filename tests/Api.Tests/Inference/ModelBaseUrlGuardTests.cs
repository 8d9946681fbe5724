using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>
/// The anti-SSRF connector guards OpenAI-compatible models' <c>BaseUrl</c> too (issue #12 note): the model's host is
/// resolved through the (flippable) test DNS server at connect time, every time. Without
/// <c>AllowPrivateNetwork</c> a host answering loopback, private or link-local gets nothing sent and the call fails as
/// an unreachable model does, with a log line saying why (never the key); with it, the same host on loopback reaches
/// the fake, and link-local (cloud metadata) is still refused.
/// </summary>
public sealed partial class ModelBaseUrlGuardTests : IAsyncLifetime
{
    private const string GuardedKey = "sk-guarded-model-SECRET-0451";

    private readonly LogLines _logs = new();
    private readonly string _guardedHost = $"model-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
    private readonly string _insideHost = $"vllm-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
    private TestDatabase _db = null!;
    private FakeChatServer _fake = null!;
    private VectrosTestServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("modelguard");
        _fake = await FakeChatServer.StartAsync();
        var port = new Uri(_fake.BaseUrl).Port;
        TestDnsServer.Shared.SetAddresses(_guardedHost, IPAddress.Loopback);
        TestDnsServer.Shared.SetAddresses(_insideHost, IPAddress.Loopback);

        // Model 0 "inside": the fake, reached by name over http with the opt-out (a vLLM box inside the network).
        var settings = _fake.ModelSettings("inside", index: 0);
        settings["Vectros:Inference:Models:0:BaseUrl"] = $"http://{_insideHost}:{port}/v1";
        settings["Vectros:Inference:Models:0:MaxRetries"] = "0";
        // Model 1 "guarded": no opt-out, so https (plain http needs the opt-out) to the fake's port by name.
        foreach (var (key, value) in _fake.ModelSettings("guarded", index: 1))
        {
            settings[key] = value;
        }

        settings["Vectros:Inference:Models:1:AllowPrivateNetwork"] = "false";
        settings["Vectros:Inference:Models:1:BaseUrl"] = $"https://{_guardedHost}:{port}/v1";
        settings["Vectros:Inference:Models:1:ApiKey"] = GuardedKey;
        settings["Vectros:Inference:Models:1:MaxRetries"] = "0";
        // Model 2 "closed": what the API says today for a model nobody answers (loopback, opt-out, a closed port).
        foreach (var (key, value) in _fake.ModelSettings("closed", index: 2))
        {
            settings[key] = value;
        }

        settings["Vectros:Inference:Models:2:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/v1";
        settings["Vectros:Inference:Models:2:MaxRetries"] = "0";
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, settings, s => s.AddLogging(b => b.AddProvider(_logs)));
        var partner = await _server.CreatePartnerAsync(nameof(ModelBaseUrlGuardTests));
        _client = _server.CreateClient(partner.TestKey.RawKey);
        using var op = _server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = partner.TestTenantId, amountCents = 10_000, reference = "guard" })).StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _fake.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task The_opt_out_lets_a_name_on_loopback_reach_the_fake()
    {
        TestDnsServer.Shared.SetAddresses(_insideHost, IPAddress.Loopback);

        using var response = await ChatAsync("inside");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sse = SseParser.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("done", sse.Events[^1].Type);
        Assert.Single(_fake.Requests);
        Assert.Contains(_logs.Lines, l => l.Contains("ANTI-SSRF OPT-OUT: chat model inside", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("ANTI-SSRF OPT-OUT: chat model guarded", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::1")]
    public async Task Without_the_opt_out_an_inside_answer_fails_the_call_as_an_unreachable_model_and_sends_nothing(string inside)
    {
        TestDnsServer.Shared.SetAddresses(_guardedHost, IPAddress.Parse(inside));

        using var refused = await ChatAsync("guarded");
        using var unreachable = await ChatAsync("closed");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(unreachable.StatusCode, refused.StatusCode);
        Assert.Equal(await ErrorAsync(unreachable), await ErrorAsync(refused));
        Assert.Empty(_fake.Requests);
        var line = Assert.Single(_logs.Lines, l => l.Contains($"Chat model guarded not called: its host {_guardedHost} resolves to {IPAddress.Parse(inside)}", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(GuardedKey, StringComparison.Ordinal) || l.Contains(FakeChatServer.ApiKey, StringComparison.Ordinal));
        Assert.Contains("blocked address", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_flipped_after_a_good_call_is_refused_at_the_next_connection()
    {
        TestDnsServer.Shared.SetAddresses(_insideHost, IPAddress.Loopback);
        using (var first = await ChatAsync("inside"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            await first.Content.ReadAsStringAsync();
        }

        // Connections are not pooled: the next call asks DNS again. Even with the opt-out, link-local (cloud
        // metadata) never passes.
        TestDnsServer.Shared.SetAddresses(_insideHost, IPAddress.Parse("169.254.169.254"));
        using var second = await ChatAsync("inside");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Single(_fake.Requests);
        Assert.Contains(_logs.Lines, l => l.Contains($"Chat model inside not called: its host {_insideHost} resolves to 169.254.169.254", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> ChatAsync(string model) =>
        _client.PostAsync("/v1/chat", JsonContent.Create(new { messages = new[] { new { role = "user", content = "Hello" } }, model, maxTokens = 50 }));

    /// <summary>The error body without its request id (which differs per call, as it should).</summary>
    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text); // it is JSON
        return RequestId().Replace(text, "req_");
    }

    [GeneratedRegex("req_[0-9a-f]+")]
    private static partial Regex RequestId();

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class LogLines : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogLines owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner._lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
