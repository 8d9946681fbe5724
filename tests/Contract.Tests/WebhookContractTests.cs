using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// Every portal webhook operation (issue #11) answers with the shapes of <c>Delta040/webhooks.yaml</c>, errors with the
/// error shape. A server of its own, set up through <see cref="WebhookTestBed"/> so deliveries reach the receiver.
/// </summary>
public sealed class WebhookContractTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private HttpsReceiver _receiver = null!;
    private VectrosTestServer _server = null!;
    private HttpClient _op = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("webhookcontract");
        _receiver = await HttpsReceiver.StartAsync();
        var settings = new Dictionary<string, string?>(WebhookTestBed.Settings(_receiver)) { ["Vectros:Webhooks:EventPollInterval"] = "00:00:00.100" };
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, settings);
        _op = _server.CreateClient(VectrosTestServer.OperatorToken);
    }

    public async Task DisposeAsync()
    {
        _op.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Webhook_operations_answer_with_the_portal_shapes()
    {
        var partner = await _server.CreatePartnerAsync(nameof(WebhookContractTests));
        await WebhookTestBed.PrepareDomainAsync(_op, partner.PartnerId);
        var create = await _op.PostAsJsonAsync("/developer/webhooks", new
        {
            partnerId = partner.PartnerId, environment = "test", url = WebhookTestBed.UrlFor(_receiver), eventTypes = new[] { "record.indexed" },
            description = "contract", signatureAlgorithms = new[] { "hmac-sha256", "ed25519" },
        });
        var created = await ShapeAsync(create, HttpStatusCode.Created, "WebhookWithSecret");
        var id = created.GetProperty("registration").GetProperty("id").GetString()!;
        var byId = $"/developer/webhooks/{id}";

        await ShapeAsync(await _op.GetAsync($"/developer/webhooks?partnerId={partner.PartnerId}&environment=test"), HttpStatusCode.OK, "WebhookRegistrationPage");
        await ShapeAsync(await _op.GetAsync(byId), HttpStatusCode.OK, "WebhookRegistration");
        await ShapeAsync(await _op.PatchAsJsonAsync(byId, new { description = "changed" }), HttpStatusCode.OK, "WebhookRegistration");
        await ShapeAsync(await _op.PostAsync($"{byId}/rotate-secret", null), HttpStatusCode.OK, "WebhookWithSecret");
        await ShapeAsync(await _op.PostAsync($"{byId}/disable", null), HttpStatusCode.OK, "WebhookRegistration");
        await ShapeAsync(await _op.PostAsync($"{byId}/enable", null), HttpStatusCode.OK, "WebhookRegistration");

        // One delivery, so the attempts page has a row to check.
        await using (var cmd = _server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "INSERT INTO events (event_id, tenant_id, context_id, type, source_id, data) VALUES (gen_random_uuid(), $1, 'default', 'record.indexed', gen_random_uuid(), '{\"scopes\":[]}')"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = partner.TestTenantId });
            await cmd.ExecuteNonQueryAsync();
        }

        JsonElement attempts = default;
        await Poll.UntilAsync(async () =>
        {
            attempts = await ShapeAsync(await _op.GetAsync($"{byId}/attempts"), HttpStatusCode.OK, "WebhookAttemptPage");
            return attempts.GetProperty("data").GetArrayLength() > 0;
        }, "an attempt");
        await ShapeAsync(await _op.PostAsJsonAsync($"{byId}/recover", new { since = DateTimeOffset.UtcNow.AddHours(-1) }), HttpStatusCode.OK, "WebhookRecovery");

        await ShapeAsync(await _op.PostAsJsonAsync("/developer/webhooks", new { partnerId = partner.PartnerId, environment = "test" }), HttpStatusCode.BadRequest, "ErrorResponse040");
        await ShapeAsync(await _op.GetAsync($"/developer/webhooks/wh_{Guid.NewGuid():N}"), HttpStatusCode.NotFound, "ErrorResponse040");
        Assert.Equal(HttpStatusCode.NoContent, (await _op.DeleteAsync(byId)).StatusCode);
        await ShapeAsync(await _op.DeleteAsync(byId), HttpStatusCode.NotFound, "ErrorResponse040");
    }

    private static async Task<JsonElement> ShapeAsync(HttpResponseMessage response, HttpStatusCode status, string shape)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {response.StatusCode} {text}");
        ContractAssert.MatchesDelta(shape, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
