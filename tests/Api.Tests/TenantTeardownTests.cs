using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Teardown;
using Vectros.Grains.Webhooks;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #11 item 7 end to end on a server of its own (so every tenant table of the database is checked, and the
/// webhooks seam is a recording stand-in): a test tenant seeded with records (sensitive fields, lookups), inline and
/// file documents, folders, users, scoped keys and tokens, an issuer, usage and logs is torn down through
/// <c>DELETE /developer/tenants/{id}</c>. Its credentials are refused at once, the status goes deleting → deleted with
/// progress, the final tenant.deleted call precedes removing the registrations and the status, every tenant table then
/// holds 0 rows of it, and the partner's live tenant is untouched.
/// </summary>
public sealed class TenantTeardownTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;
    private RecordingTenantWebhooks _webhooks = null!;

    private NpgsqlDataSource Db => _server.Services.GetRequiredService<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("tenantteardown");
        _webhooks = new RecordingTenantWebhooks(() => Db);
        _server = await VectrosTestServer.StartAsync(
            _db.ConnectionString,
            new Dictionary<string, string?> { ["Vectros:Teardown:BatchSize"] = "3" },
            s => s.AddSingleton<ITenantWebhooks>(_webhooks));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task The_code_lists_every_tenant_table_the_database_has()
    {
        var listed = TenantTables.Purged.Concat(TenantTables.Final).Concat(TenantTables.Kept).Concat(TenantTables.RemovedWithWebhooks).ToHashSet(StringComparer.Ordinal);
        var missing = (await TenantTeardownSupport.TenantTablesAsync(Db)).Where(t => !listed.Contains(t)).ToList();
        Assert.True(missing.Count == 0, "Tenant teardown does not know these tables with a tenant_id: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task A_seeded_tenant_is_torn_down_completely_and_the_other_environment_keeps_working()
    {
        var partner = await _server.CreatePartnerAsync("teardown");
        using var root = _server.CreateClient(partner.TestKey.RawKey);
        using var live = _server.CreateClient(partner.LiveKey.RawKey);
        using var op = _server.CreateClient(VectrosTestServer.OperatorToken);
        var tenantId = partner.TestTenantId;

        var seeded = await SeedAsync(root, tenantId);
        var liveRecord = await SeedLiveAsync(live);
        var liveBefore = await TenantTeardownSupport.RowsAsync(Db, partner.LiveTenantId);
        foreach (var table in new[] { "records", "record_lookups", "documents", "blobs", "chunks", "folders", "users", "scoped_keys", "access_profiles", "auth_issuers", "usage_counters", "api_call_log", "entity_versions", "tenant_keys" })
        {
            Assert.True((await TenantTeardownSupport.RowsAsync(Db, tenantId))[table] > 0, $"the seed wrote no {table} row");
        }

        var active = await op.GetFromJsonAsync<JsonElement>($"/developer/tenants/{tenantId}");
        Assert.Equal("active", active.GetProperty("status").GetString());

        var accepted = await op.DeleteAsync($"/developer/tenants/{tenantId}?confirm={tenantId}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(job.GetProperty("status").GetString(), new[] { "deleting", "deleted" });
        Assert.Equal("test", job.GetProperty("environment").GetString());

        // Refused from the moment teardown starts, although each credential was just used (and cached).
        Assert.Equal(HttpStatusCode.Unauthorized, (await root.GetAsync("/v1/ping")).StatusCode);
        using (var scoped = _server.CreateClient(seeded.ScopedKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await scoped.GetAsync("/v1/ping")).StatusCode);
        }

        using (var token = _server.CreateClient(seeded.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/v1/ping")).StatusCode);
        }

        // Repeating the request joins the same job.
        var again = await op.DeleteAsync($"/developer/tenants/{tenantId}?confirm={tenantId}");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(job.GetProperty("requestedAt").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestedAt").GetString());

        var statuses = await TenantTeardownSupport.StatusesUntilDeletedAsync(op, tenantId);
        Assert.All(statuses[..^1], s => Assert.Equal("deleting", s.GetProperty("status").GetString()));
        var done = statuses[^1];
        Assert.False(done.TryGetProperty("step", out _));
        Assert.NotNull(done.GetProperty("completedAt").GetString());
        var progress = done.GetProperty("progress");
        foreach (var step in new[] { "records", "documents", "blobs", "chunks", "users", "scoped_keys", "auth_issuers", "webhooks", "root_keys+tenants" })
        {
            Assert.True(progress.TryGetProperty(step, out var n) && n.GetInt64() > 0, $"progress has no count for {step}: {progress}");
        }

        // The final tenant.deleted went out while deleting and before the registrations and root keys went.
        var calls = _webhooks.Calls.Where(c => c.TenantId == tenantId).ToList();
        Assert.Equal(["send", "deleteAll"], calls.Select(c => c.Call));
        Assert.All(calls, c => Assert.Equal("deleting", c.Status));
        Assert.All(calls, c => Assert.Equal(1, c.RootKeys));

        // Nothing of the tenant is left in any tenant table (the outbox row of the job goes when the worker completes it).
        await Poll.UntilAsync(async () => (await TenantTeardownSupport.RowsAsync(Db, tenantId)).Values.All(n => n == 0), "no row of the tenant left");
        var leftovers = (await TenantTeardownSupport.RowsAsync(Db, tenantId)).Where(kv => kv.Value > 0).ToList();
        Assert.Empty(leftovers);
        Assert.Equal(0, await TenantTeardownSupport.ScalarAsync(Db, "SELECT count(*) FROM orleans_storage WHERE starts_with(grain_key, $1)", tenantId));

        // Still refused; the status stays observable, also by environment.
        Assert.Equal(HttpStatusCode.Unauthorized, (await root.GetAsync("/v1/ping")).StatusCode);
        var byEnvironment = await op.GetFromJsonAsync<JsonElement>($"/developer/tenants/test?partnerId={partner.PartnerId}");
        Assert.Equal("deleted", byEnvironment.GetProperty("status").GetString());
        Assert.Equal(tenantId, byEnvironment.GetProperty("tenantId").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await op.DeleteAsync($"/developer/tenants/{tenantId}?confirm={tenantId}")).StatusCode);

        // The live environment of the same partner: its key works, its data is all there.
        Assert.Equal(HttpStatusCode.OK, (await live.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await live.GetAsync($"/v1/records/{liveRecord}")).StatusCode);
        var liveAfter = await TenantTeardownSupport.RowsAsync(Db, partner.LiveTenantId);
        foreach (var table in new[] { "records", "record_lookups", "schemas", "root_keys", "tenants", "tenant_keys", "app_contexts", "namespaces", "users" })
        {
            Assert.Equal(liveBefore[table], liveAfter[table]);
        }

        Assert.Equal("active", (await op.GetFromJsonAsync<JsonElement>($"/developer/tenants/{partner.LiveTenantId}")).GetProperty("status").GetString());
    }

    private sealed record Seeded(string ScopedKey, string Token);

    private async Task<Seeded> SeedAsync(HttpClient root, string tenantId)
    {
        await CreatedAsync(root, "/v1/schemas", new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[]
            {
                new { fieldId = "name", fieldType = "string" },
                new { fieldId = "ssn", fieldType = "string", sensitive = true },
            },
            lookupFields = new object[] { new { fieldName = "ssn", unique = true } },
        });
        await CreatedAsync(root, "/v1/records", new { typeName = "patient", payload = new { name = "Ann", ssn = "123-45-6789" } });
        var folder = await CreatedAsync(root, "/v1/folders", new { name = "Inbox" });
        var inline = await CreatedAsync(root, "/v1/documents", new
        {
            title = "Memo", text = "teardown deletes the searchable memo", indexMode = "HYBRID", folderId = folder.GetProperty("id").GetString(),
        });
        var upload = await CreatedAsync(root, "/v1/documents/upload", new { fileName = "intake.txt", fileType = "text/plain", indexMode = "TEXT" });
        using (var anonymous = _server.CreateClient())
        {
            var content = new ByteArrayContent("file body for the blob store"u8.ToArray());
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
            var put = await anonymous.PutAsync(upload.GetProperty("uploadUrl").GetString(), content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var inlineId = inline.GetProperty("id").GetString();
        await Poll.UntilAsync(async () => (await root.GetFromJsonAsync<JsonElement>($"/v1/documents/{inlineId}")).GetProperty("indexStatus").GetString() == "INDEXED",
            "the inline document indexed");

        var scopedKey = await ScopedKeyMint.MintAsync(root, tenantId, "default", ["records:r:patient"]);
        using (var scoped = _server.CreateClient(scopedKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync("/v1/ping")).StatusCode);
        }

        var token = await ScopedCredentials.MintAsync(root, ["schemas:r"]);
        using (var tokenClient = _server.CreateClient(token))
        {
            Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync("/v1/ping")).StatusCode);
        }

        // A second context with a role, an issuer and a record written through the grains (root keys act in default).
        await CreatedAsync(root, "/v1/app-contexts", new { contextId = "side-app", name = "Side" });
        await CreatedAsync(root, "/v1/app-contexts/side-app/roles", new { roleId = "member", name = "Member", scopes = new[] { new { allowed_actions = new[] { "schemas:r" } } } });
        await using (var provider = await FakeOpenIdProvider.StartAsync())
        {
            await CreatedAsync(root, "/v1/auth/issuers", new
            {
                issuerId = "acme", issuer = provider.Issuer, jwksUri = provider.JwksUri, audience = "aud-" + Guid.NewGuid().ToString("N"), contextId = "side-app",
                selfSignupPolicies = new object[] { new { signupType = "member", roleId = "member" } },
            });
        }

        var grains = _server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(tenantId, "side-app", "key_seed", IsRoot: true, ["*"]);
        await grains.GetGrain<ISchemaGrain>(caller.KeyFor("note")).CreateAsync(caller, new SchemaDefinition { DisplayName = "Note" }, upsert: false);
        var record = grains.GetGrain<IRecordGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()));
        await record.CreateAsync(caller, new RecordWrite { TypeName = "note", Payload = new JsonObject { ["text"] = "side" } }, upsert: false);
        await record.GetAsync(caller);

        await Poll.UntilAsync(async () => (await TenantTeardownSupport.RowsAsync(Db, tenantId)) is var rows && rows["usage_counters"] > 0 && rows["api_call_log"] > 0,
            "usage and call logs flushed");
        return new Seeded(scopedKey, token);
    }

    private static async Task<string> SeedLiveAsync(HttpClient live)
    {
        await CreatedAsync(live, "/v1/schemas", new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[] { new { fieldId = "ssn", fieldType = "string", sensitive = true } },
            lookupFields = new object[] { new { fieldName = "ssn", unique = true } },
        });
        var record = await CreatedAsync(live, "/v1/records", new { typeName = "patient", payload = new { ssn = "987-65-4321" } });
        return record.GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient client, string route, object body)
    {
        var response = await client.PostAsJsonAsync(route, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{route}: {response.StatusCode}: {json}");
        return json;
    }
}
