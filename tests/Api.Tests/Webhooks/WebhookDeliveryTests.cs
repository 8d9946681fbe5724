using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StandardWebhooks;
using Vectros.Grains.Webhooks;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// Delivery (issue #11 items 3, 5): envelope and signatures checked from scratch, environment isolation, retries,
/// Retry-After, 410, auto-disable and re-enable, attempts, recover, and the teardown's tenant.deleted.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>, IAsyncLifetime
{
    private TestPartner _partner = null!;

    public async Task InitializeAsync() => _partner = await fixture.Server.CreatePartnerAsync(nameof(WebhookDeliveryTests));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_delivery_carries_the_envelope_and_verifies_with_the_secret_shown_at_creation()
    {
        var created = await fixture.RegisterAsync(_partner.PartnerId, "test", "/sig", ["record.indexed"], ["hmac-sha256", "ed25519"]);
        var secret = created.GetProperty("secret").GetString()!;
        var publicKey = created.GetProperty("registration").GetProperty("ed25519PublicKey").GetString()!;
        var eventId = await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed", """{"id":"r1","scopes":["team:blue"]}""");

        var received = Assert.Single(await fixture.WaitOnAsync("/sig", 1));
        Assert.True(WebhookSignatures.HmacMatches(received, secret));
        Assert.True(WebhookSignatures.Ed25519Matches(received, publicKey));
        Assert.True(WebhookSignatures.VectrosHeaderMatches(received, secret));
        Assert.False(WebhookSignatures.HmacMatches(received, "whsec_" + Convert.ToBase64String(new byte[32])));
        Assert.Equal(eventId.ToString(), received.Headers["webhook-id"]);
        Assert.InRange(long.Parse(received.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture),
            DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());

        var envelope = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(eventId.ToString(), envelope.GetProperty("id").GetString());
        Assert.Equal("record.indexed", envelope.GetProperty("type").GetString());
        Assert.False(envelope.GetProperty("livemode").GetBoolean());
        Assert.Equal(_partner.TestTenantId, envelope.GetProperty("tenantId").GetString());
        Assert.True(envelope.GetProperty("createdAt").TryGetDateTimeOffset(out _));
        Assert.Equal(["team:blue"], envelope.GetProperty("data").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // A Standard Webhooks library accepts it too.
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = received.Headers["webhook-id"],
            ["webhook-timestamp"] = received.Headers["webhook-timestamp"],
            ["webhook-signature"] = received.Headers["webhook-signature"],
        };
        new StandardWebhook(secret).Verify(received.BodyText, headers);
    }

    [Fact]
    public async Task A_test_mode_event_never_reaches_a_live_registration_and_types_filter()
    {
        await fixture.RegisterAsync(_partner.PartnerId, "test", "/iso-test", ["record.indexed"]);
        await fixture.RegisterAsync(_partner.PartnerId, "live", "/iso-live", ["record.indexed"]);
        await fixture.RegisterAsync(_partner.PartnerId, "test", "/iso-docs", ["document.indexed"]);

        var testEvent = await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");
        var liveEvent = await fixture.InsertEventAsync(_partner.LiveTenantId, "record.indexed");
        var docEvent = await fixture.InsertEventAsync(_partner.TestTenantId, "document.indexed");

        Assert.Equal(testEvent.ToString(), Assert.Single(await fixture.WaitOnAsync("/iso-test", 1)).Headers["webhook-id"]);
        var live = Assert.Single(await fixture.WaitOnAsync("/iso-live", 1));
        Assert.Equal(liveEvent.ToString(), live.Headers["webhook-id"]);
        Assert.True(JsonDocument.Parse(live.Body).RootElement.GetProperty("livemode").GetBoolean());
        Assert.Equal(docEvent.ToString(), Assert.Single(await fixture.WaitOnAsync("/iso-docs", 1)).Headers["webhook-id"]);

        // Every event was handled (delivered_at set) and nothing more arrived.
        await Poll.UntilAsync(async () => await UndeliveredAsync() == 0, "events drained");
        Assert.Single(fixture.ReceivedOn("/iso-test"));
        Assert.Single(fixture.ReceivedOn("/iso-live"));
        Assert.Single(fixture.ReceivedOn("/iso-docs"));
    }

    [Fact]
    public async Task A_failure_is_retried_with_the_same_id_and_every_attempt_is_listed()
    {
        var calls = 0;
        fixture.RespondOn("/retry", _ => (Interlocked.Increment(ref calls) == 1 ? 500 : 200, null));
        var id = await IdAsync(await fixture.RegisterAsync(_partner.PartnerId, "test", "/retry", ["record.failed"]));
        var eventId = await fixture.InsertEventAsync(_partner.TestTenantId, "record.failed", """{"id":"r","scopes":[],"indexFailure":{"code":"EMBEDDING_FAILED","message":"m"}}""");

        var received = await fixture.WaitOnAsync("/retry", 2);
        Assert.All(received, r => Assert.Equal(eventId.ToString(), r.Headers["webhook-id"]));
        Assert.Equal(received[0].BodyText, received[1].BodyText);

        JsonElement attempts = default;
        await Poll.UntilAsync(async () =>
        {
            attempts = await fixture.GetJsonAsync($"/developer/webhooks/{id}/attempts");
            return attempts.GetProperty("data").GetArrayLength() == 2;
        }, "two attempts recorded");
        var rows = attempts.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([2, 1], rows.Select(r => r.GetProperty("attemptNumber").GetInt32()));
        Assert.Equal([200, 500], rows.Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Equal([true, false], rows.Select(r => r.GetProperty("succeeded").GetBoolean()));
        Assert.All(rows, r => Assert.Equal(eventId.ToString(), r.GetProperty("eventId").GetString()));
        Assert.All(rows, r => Assert.Equal("record.failed", r.GetProperty("eventType").GetString()));
        Assert.Equal("HTTP 500", rows[1].GetProperty("error").GetString());

        var page = await fixture.GetJsonAsync($"/developer/webhooks/{id}/attempts?limit=1");
        var next = page.GetProperty("nextCursor").GetString()!;
        var second = await fixture.GetJsonAsync($"/developer/webhooks/{id}/attempts?limit=1&startFrom={Uri.EscapeDataString(next)}");
        Assert.Equal(1, second.GetProperty("data")[0].GetProperty("attemptNumber").GetInt32());
    }

    [Fact]
    public async Task Retry_after_later_than_the_schedule_is_honoured()
    {
        var calls = 0;
        fixture.RespondOn("/later", _ => Interlocked.Increment(ref calls) == 1
            ? (503, new Dictionary<string, string> { ["Retry-After"] = "2" })
            : (200, null));
        await fixture.RegisterAsync(_partner.PartnerId, "test", "/later", ["record.indexed"]);
        await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");

        var received = await fixture.WaitOnAsync("/later", 2);
        // The schedule says 0.3 s; the receiver asked for 2 s, and got at least that.
        Assert.True(received[1].At - received[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(received[1].At - received[0].At).TotalSeconds} s");
    }

    [Fact]
    public async Task A_410_disables_the_registration_at_once_with_a_notice()
    {
        fixture.RespondOn("/gone", _ => (410, null));
        var id = await IdAsync(await fixture.RegisterAsync(_partner.PartnerId, "test", "/gone", ["record.indexed"]));
        await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");
        await fixture.WaitOnAsync("/gone", 1);

        var registration = await StatusAsync(id, "disabled");
        var notice = Assert.Single(registration.GetProperty("notices").EnumerateArray());
        Assert.Equal("endpoint.disabled", notice.GetProperty("type").GetString());
        Assert.Contains("410", notice.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Disabled: a new event gets no delivery.
        await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");
        await Poll.UntilAsync(async () => await UndeliveredAsync() == 0, "events drained");
        Assert.Single(fixture.ReceivedOn("/gone"));
    }

    [Fact]
    public async Task Consecutive_failures_auto_disable_and_re_enabling_resets_and_resumes()
    {
        var healthy = false;
        fixture.RespondOn("/flaky", _ => (Volatile.Read(ref healthy) ? 200 : 500, null));
        var id = await IdAsync(await fixture.RegisterAsync(_partner.PartnerId, "test", "/flaky", ["record.indexed"]));
        await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");
        var second = await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");

        // 4 consecutive failures (the setting) across the two deliveries, with no minimum span: disabled.
        var registration = await StatusAsync(id, "disabled");
        Assert.Equal(4, registration.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal("endpoint.disabled", Assert.Single(registration.GetProperty("notices").EnumerateArray()).GetProperty("type").GetString());
        Assert.Equal(4, fixture.ReceivedOn("/flaky").Count);

        Volatile.Write(ref healthy, true);
        var enabled = await fixture.Operator.PostAsync($"/developer/webhooks/{id}/enable", null);
        var body = await enabled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("consecutiveFailures").GetInt32());

        // What was still pending goes out once enabled.
        await Poll.UntilAsync(async () => await SucceededAsync(id) >= 1, "a delivery succeeded after re-enable");
        Assert.Contains(fixture.ReceivedOn("/flaky"), r => r.Headers["webhook-id"] == second.ToString());
    }

    [Fact]
    public async Task Recover_sends_again_what_gave_up_since_a_time()
    {
        var healthy = false;
        fixture.RespondOn("/recover", _ => (Volatile.Read(ref healthy) ? 200 : 500, null));
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var id = await IdAsync(await fixture.RegisterAsync(_partner.PartnerId, "test", "/recover", ["record.indexed"]));
        var eventId = await fixture.InsertEventAsync(_partner.TestTenantId, "record.indexed");

        // Three attempts (the schedule has two retries), then it gives up.
        await fixture.WaitOnAsync("/recover", 3);
        await Poll.UntilAsync(async () => await DeliveryStatusAsync(id) == "failed", "the delivery gave up");
        Assert.Equal("active", (await fixture.GetJsonAsync($"/developer/webhooks/{id}")).GetProperty("status").GetString());

        Volatile.Write(ref healthy, true);
        var response = await fixture.Operator.PostAsJsonAsync($"/developer/webhooks/{id}/recover", new { since });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        var all = await fixture.WaitOnAsync("/recover", 4);
        Assert.All(all, r => Assert.Equal(eventId.ToString(), r.Headers["webhook-id"]));
        await Poll.UntilAsync(async () => await DeliveryStatusAsync(id) == "succeeded", "the recovered delivery succeeded");

        // Nothing failed after now: nothing to recover.
        var none = await fixture.Operator.PostAsJsonAsync($"/developer/webhooks/{id}/recover", new { since = DateTimeOffset.UtcNow.AddMinutes(1) });
        Assert.Equal(0, (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        var bad = await fixture.Operator.PostAsJsonAsync($"/developer/webhooks/{id}/recover", new { });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Tenant_deleted_goes_once_to_each_enabled_registration_and_delete_all_removes_them()
    {
        var partner = await fixture.Server.CreatePartnerAsync("webhooks-teardown");
        await fixture.RegisterAsync(partner.PartnerId, "test", "/bye-a", ["record.indexed"]);
        await fixture.RegisterAsync(partner.PartnerId, "test", "/bye-b", ["document.indexed"]);
        var off = await IdAsync(await fixture.RegisterAsync(partner.PartnerId, "test", "/bye-off", ["record.indexed"]));
        await fixture.RegisterAsync(partner.PartnerId, "live", "/bye-live", ["record.indexed"]);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Operator.PostAsync($"/developer/webhooks/{off}/disable", null)).StatusCode);

        var webhooks = fixture.Server.Services.GetRequiredService<ITenantWebhooks>();
        await webhooks.SendTenantDeletedAsync(partner.TestTenantId, CancellationToken.None);
        await webhooks.SendTenantDeletedAsync(partner.TestTenantId, CancellationToken.None);

        var a = Assert.Single(fixture.ReceivedOn("/bye-a"));
        Assert.Single(fixture.ReceivedOn("/bye-b"));
        Assert.Empty(fixture.ReceivedOn("/bye-off"));
        Assert.Empty(fixture.ReceivedOn("/bye-live"));
        var envelope = JsonDocument.Parse(a.Body).RootElement;
        Assert.Equal("tenant.deleted", envelope.GetProperty("type").GetString());
        Assert.Equal(partner.TestTenantId, envelope.GetProperty("tenantId").GetString());

        Assert.Equal(3, await webhooks.DeleteAllAsync(partner.TestTenantId, CancellationToken.None));
        Assert.Equal(0, await webhooks.DeleteAllAsync(partner.TestTenantId, CancellationToken.None));
        Assert.Empty((await fixture.GetJsonAsync($"/developer/webhooks?partnerId={partner.PartnerId}&environment=test")).GetProperty("data").EnumerateArray());
        Assert.Single((await fixture.GetJsonAsync($"/developer/webhooks?partnerId={partner.PartnerId}&environment=live")).GetProperty("data").EnumerateArray());
    }

    private static Task<string> IdAsync(JsonElement created) => Task.FromResult(created.GetProperty("registration").GetProperty("id").GetString()!);

    private async Task<JsonElement> StatusAsync(string id, string status)
    {
        JsonElement registration = default;
        await Poll.UntilAsync(async () =>
        {
            registration = await fixture.GetJsonAsync($"/developer/webhooks/{id}");
            return registration.GetProperty("status").GetString() == status;
        }, $"registration {status}");
        return registration;
    }

    private async Task<long> UndeliveredAsync()
    {
        await using var cmd = fixture.Db.CreateCommand("SELECT count(*) FROM events WHERE delivered_at IS NULL");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<long> SucceededAsync(string id)
    {
        await using var cmd = fixture.Db.CreateCommand("SELECT count(*) FROM webhook_deliveries WHERE registration_id = $1 AND status = 'succeeded'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<string?> DeliveryStatusAsync(string id)
    {
        await using var cmd = fixture.Db.CreateCommand("SELECT status FROM webhook_deliveries WHERE registration_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string?)await cmd.ExecuteScalarAsync();
    }
}
