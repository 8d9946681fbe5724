using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>Registrations in the portal (issue #11 item 2, item 10's bad input): CRUD, validation, 404s, paging, secrets.</summary>
public sealed class WebhookRegistrationTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>, IAsyncLifetime
{
    private TestPartner _partner = null!;

    public async Task InitializeAsync() => _partner = await fixture.Server.CreatePartnerAsync(nameof(WebhookRegistrationTests));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_shows_the_secret_once_and_get_list_patch_delete_work()
    {
        var created = await fixture.RegisterAsync(_partner.PartnerId, "test", "/crud", ["record.indexed"]);
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.InRange(Convert.FromBase64String(secret["whsec_".Length..]).Length, 24, 32);
        var registration = created.GetProperty("registration");
        var id = registration.GetProperty("id").GetString()!;
        Assert.StartsWith("wh_", id, StringComparison.Ordinal);
        Assert.Equal("test", registration.GetProperty("environment").GetString());
        Assert.Equal(_partner.TestTenantId, registration.GetProperty("tenantId").GetString());
        Assert.Equal("active", registration.GetProperty("status").GetString());
        Assert.Equal(["hmac-sha256"], registration.GetProperty("signatureAlgorithms").EnumerateArray().Select(a => a.GetString()));

        // Never again: not in a read, a list, or the database in clear.
        var got = await fixture.GetJsonAsync($"/developer/webhooks/{id}");
        Assert.DoesNotContain(secret, got.GetRawText(), StringComparison.Ordinal);
        var list = await fixture.GetJsonAsync($"/developer/webhooks?partnerId={_partner.PartnerId}&environment=test");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), r => r.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(secret, list.GetRawText(), StringComparison.Ordinal);
        await using (var cmd = fixture.Db.CreateCommand("SELECT secret_enc FROM webhook_registrations WHERE registration_id = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = id });
            var stored = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        }

        var patched = await fixture.Operator.PatchAsJsonAsync($"/developer/webhooks/{id}", new { eventTypes = new[] { "document.indexed", "record.failed" }, description = "changed" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var after = await fixture.GetJsonAsync($"/developer/webhooks/{id}");
        Assert.Equal(["document.indexed", "record.failed"], after.GetProperty("eventTypes").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("changed", after.GetProperty("description").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Operator.DeleteAsync($"/developer/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.GetAsync($"/developer/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.DeleteAsync($"/developer/webhooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Ed25519_registrations_get_a_public_key()
    {
        var created = await fixture.RegisterAsync(_partner.PartnerId, "live", "/ed", ["record.indexed"], ["hmac-sha256", "ed25519"]);
        var registration = created.GetProperty("registration");
        Assert.StartsWith("whpk_", registration.GetProperty("ed25519PublicKey").GetString(), StringComparison.Ordinal);
        Assert.Equal(["hmac-sha256", "ed25519"], registration.GetProperty("signatureAlgorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(_partner.LiveTenantId, registration.GetProperty("tenantId").GetString());
    }

    [Theory]
    [InlineData("""{"environment":"test","url":"U","eventTypes":["record.indexed"]}""", "partnerId")]
    [InlineData("""{"partnerId":"P","url":"U","eventTypes":["record.indexed"]}""", "environment")]
    [InlineData("""{"partnerId":"P","environment":"prod","url":"U","eventTypes":["record.indexed"]}""", "environment")]
    [InlineData("""{"partnerId":"P","environment":"test","eventTypes":["record.indexed"]}""", "url")]
    [InlineData("""{"partnerId":"P","environment":"test","url":"U"}""", "eventTypes")]
    [InlineData("""{"partnerId":"P","environment":"test","url":"U","eventTypes":[]}""", "eventTypes")]
    [InlineData("""{"partnerId":"P","environment":"test","url":"U","eventTypes":["record.created"]}""", "eventTypes")]
    [InlineData("""{"partnerId":"P","environment":"test","url":"http://plain.example.com/h","eventTypes":["record.indexed"]}""", "url")]
    [InlineData("""{"partnerId":"P","environment":"test","url":"not a url","eventTypes":["record.indexed"]}""", "url")]
    [InlineData("""{"partnerId":"P","environment":"test","url":"U","eventTypes":["record.indexed"],"signatureAlgorithms":["rsa"]}""", "signatureAlgorithms")]
    public async Task Bad_input_is_a_400_naming_the_field_and_writes_nothing(string template, string field)
    {
        var body = template.Replace("\"P\"", $"\"{_partner.PartnerId}\"", StringComparison.Ordinal)
            .Replace("\"U\"", $"\"{WebhookTestBed.UrlFor(fixture.Receiver, "/bad")}\"", StringComparison.Ordinal);
        var before = await CountAsync();
        var response = await fixture.Operator.PostAsync("/developer/webhooks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal(field, JsonDocument.Parse(text).RootElement.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Unknown_partners_and_missing_foreign_or_malformed_ids_are_404s()
    {
        var response = await fixture.Operator.PostAsJsonAsync("/developer/webhooks", new
        {
            partnerId = Guid.NewGuid(), environment = "test", url = WebhookTestBed.UrlFor(fixture.Receiver), eventTypes = new[] { "record.indexed" },
        });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var created = await fixture.RegisterAsync(_partner.PartnerId, "test", "/foreign", ["record.indexed"]);
        var id = created.GetProperty("registration").GetProperty("id").GetString()!;
        var other = await fixture.Server.CreatePartnerAsync("webhooks-other");
        foreach (var (path, query) in new[]
                 {
                     ($"/developer/webhooks/wh_{Guid.NewGuid():N}", ""), ("/developer/webhooks/nope", ""), ("/developer/webhooks/0123", ""),
                     ($"/developer/webhooks/{id}", $"?partnerId={other.PartnerId}"),
                     ($"/developer/webhooks/{id}", $"?partnerId={_partner.PartnerId}&environment=live"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.GetAsync(path + query)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.PostAsync($"{path}/disable{query}", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.PatchAsJsonAsync(path + query, new { description = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator.DeleteAsync(path + query)).StatusCode);
        }

        // The foreign partner's view did not change it.
        var got = await fixture.GetJsonAsync($"/developer/webhooks/{id}?partnerId={_partner.PartnerId}&environment=test");
        Assert.Equal("test hook", got.GetProperty("description").GetString());
        Assert.Equal("active", got.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_portal_needs_the_operator_token()
    {
        using var anonymous = fixture.Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/developer/webhooks?partnerId={_partner.PartnerId}&environment=test")).StatusCode);
        using var partnerKey = fixture.Server.CreateClient(_partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await partnerKey.PostAsJsonAsync("/developer/webhooks", new { })).StatusCode);
    }

    [Fact]
    public async Task Lists_page_per_environment()
    {
        var partner = await fixture.Server.CreatePartnerAsync("webhooks-paging");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await fixture.RegisterAsync(partner.PartnerId, "test", $"/page{i}", ["record.indexed"])).GetProperty("registration").GetProperty("id").GetString()!);
        }

        await fixture.RegisterAsync(partner.PartnerId, "live", "/page-live", ["record.indexed"]);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var url = $"/developer/webhooks?partnerId={partner.PartnerId}&environment=test&limit=2" + (cursor is null ? "" : $"&startFrom={Uri.EscapeDataString(cursor)}");
            var page = await fixture.GetJsonAsync(url);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
        var live = await fixture.GetJsonAsync($"/developer/webhooks?partnerId={partner.PartnerId}&environment=live");
        Assert.Single(live.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Disable_and_enable_switch_the_status()
    {
        var created = await fixture.RegisterAsync(_partner.PartnerId, "test", "/switch", ["record.indexed"]);
        var id = created.GetProperty("registration").GetProperty("id").GetString()!;
        var disabled = await fixture.Operator.PostAsync($"/developer/webhooks/{id}/disable", null);
        Assert.Equal("disabled", (await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var enabled = await fixture.Operator.PostAsync($"/developer/webhooks/{id}/enable", null);
        var body = await enabled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal(0, body.GetProperty("consecutiveFailures").GetInt32());
    }

    private async Task<long> CountAsync()
    {
        await using var cmd = fixture.Db.CreateCommand("SELECT count(*) FROM webhook_registrations");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
