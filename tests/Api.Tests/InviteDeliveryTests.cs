using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The composition of invitation delivery (issue #9 item 9): a server configured with <c>Vectros:Invites:Sender=smtp</c>
/// mails the accept link to a loopback SMTP fake and reports <c>emailSent:true</c>; nothing it logs (at Information)
/// holds the token or the address.
/// </summary>
public sealed class InviteDeliveryTests : IAsyncLifetime
{
    private readonly FakeSmtpServer _smtp = new();
    private readonly CapturingLoggerProvider _logs = new();
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("invites");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Invites:Sender"] = "smtp",
            ["Vectros:Invites:SmtpHost"] = "127.0.0.1",
            ["Vectros:Invites:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vectros:Invites:SmtpEnableSsl"] = "false",
            ["Logging:LogLevel:Default"] = "Information",
        }, services => services.AddSingleton<ILoggerProvider>(_logs));
    }

    public async Task DisposeAsync()
    {
        _smtp.Dispose();
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task An_smtp_configured_server_mails_the_link_and_logs_no_token()
    {
        var partner = await _server.CreatePartnerAsync("invites");
        using var client = _server.CreateClient(partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "crm", name = "CRM" })).StatusCode);

        // An invite's roleId must name a role of the context (API-DELTA §8.8).
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts/crm/roles",
            new { roleId = "member", name = "Member", scopes = new[] { new { allowed_actions = new[] { "records:r:note" } } } })).StatusCode);
        var response = await client.PostAsJsonAsync("/v1/users/invite", new
        {
            email = "zoe@example.com",
            contextId = "crm",
            accessProfile = new { roleId = "member" },
            acceptUrl = "https://app.example.com/accept",
            firstName = "Zoe",
            fromName = "Acme",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(body.GetProperty("emailSent").GetBoolean());
        Assert.False(body.TryGetProperty("inviteToken", out _));

        var mail = (await _smtp.Received.Task.WaitAsync(TimeSpan.FromSeconds(10))).Replace("=\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        Assert.Contains("RCPT TO:<zoe@example.com>", mail, StringComparison.Ordinal);
        Assert.Contains("https://app.example.com/accept?t=inv_", mail, StringComparison.Ordinal);

        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("inv_", StringComparison.Ordinal) || line.Contains("zoe@", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}
