using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Opaque list cursors (API-DELTA §1 "Cursors", CL 0.38): sealed, bound to their exact query, and refused when
/// replayed with other parameters, forged, truncated, raw, or handed to a <c>/versions</c> route.
/// <para>
/// A new list or lookup route gets an entry in <see cref="ListRoutes"/>; <see cref="Every_list_route_seals_its_cursors"/>
/// fails for any <c>list*</c>/<c>lookup*</c> endpoint that has none (see <c>src/ApiFrontend/Http/ListCursors.cs</c>).
/// </para>
/// </summary>
public sealed class CursorTests : ApiTestBase
{
    /// <summary>
    /// How to exercise each list route: seed at least five items, the first page of a query with <c>limit=2</c>, the
    /// same query with one parameter changed, and a cursor in the grain's raw (pre-0.38) format.
    /// </summary>
    private static readonly Dictionary<string, ListRoute> Routes = new(StringComparer.Ordinal)
    {
        ["listRecords"] = new(
            SeedNotesAsync,
            c => Get("/v1/records?type=note&limit=2", c),
            c => Get("/v1/records?type=note&limit=2&includePayload=true", c),
            RawRecordCursor),
        ["lookupRecords"] = new(
            SeedNotesAsync,
            c => Get("/v1/records/lookup?type=note&field=topic&value=alpha&limit=2", c),
            c => Get("/v1/records/lookup?type=note&field=topic&value=beta&limit=2", c),
            RawRecordCursor),
        ["lookupRecordsByBody"] = new(
            SeedNotesAsync,
            c => Post("/v1/records/lookup", new { type = "note", field = "topic", value = "alpha", limit = 2, startFrom = c }),
            c => Post("/v1/records/lookup", new { type = "note", field = "topic", value = "alpha", limit = 2, order = "desc", startFrom = c }),
            RawRecordCursor),
        ["listDocuments"] = new(
            SeedDocumentsAsync,
            c => Get("/v1/documents?limit=2", c),
            c => Get("/v1/documents?limit=3", c),
            RawRecordCursor),
        ["lookupDocuments"] = new(
            SeedDocumentsAsync,
            c => Get("/v1/documents/lookup?type=memo&field=topic&value=alpha&limit=2", c),
            c => Get("/v1/documents/lookup?type=memo&field=topic&value=alpha&limit=2&order=desc", c),
            RawRecordCursor),
        ["lookupDocumentsByBody"] = new(
            SeedDocumentsAsync,
            c => Post("/v1/documents/lookup", new { type = "memo", field = "topic", value = "alpha", limit = 2, startFrom = c }),
            c => Post("/v1/documents/lookup", new { type = "memo", field = "topic", value = "alpha", limit = 3, startFrom = c }),
            RawRecordCursor),
        ["listFolders"] = new(
            async client =>
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/folders", new { name = $"Folder {i}" })).StatusCode);
                }
            },
            c => Get("/v1/folders?limit=2", c),
            c => Get("/v1/folders?limit=3", c),
            _ => Guid.CreateVersion7().ToString()),
        ["listSchemas"] = new(
            async client =>
            {
                foreach (var name in new[] { "alpha", "bravo", "charlie", "delta", "echo" })
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/schemas", new { typeName = name, displayName = name })).StatusCode);
                }
            },
            c => Get("/v1/schemas?limit=2", c),
            c => Get("/v1/schemas?limit=2&surface=record", c),
            _ => Base64Url.EncodeToString("alpha"u8)),
        ["listAppContexts"] = new(
            async client =>
            {
                foreach (var id in new[] { "ctx-one", "ctx-two", "ctx-three" })
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = id, name = id })).StatusCode);
                }
            },
            c => Get("/v1/app-contexts?limit=2", c),
            c => Get("/v1/app-contexts?limit=3", c),
            tenant => tenant + "#ctx-one"),
        ["listNamespaces"] = new(
            async client =>
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal(HttpStatusCode.Created,
                        (await client.PostAsJsonAsync("/v1/namespaces", new { @namespace = $"cursor-ns-{i}", specificityRank = 101 + i })).StatusCode);
                }
            },
            c => Get("/v1/namespaces?limit=2", c),
            c => Get("/v1/namespaces?limit=3", c),
            _ => Base64Url.EncodeToString("cursor-ns-0"u8)),
        ["listRoles"] = new(
            async client =>
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts/default/roles",
                        new { roleId = $"cursor-role-{i}", name = "r", scopes = new[] { new { allowed_actions = new[] { "logs:r" } } } })).StatusCode);
                }
            },
            c => Get("/v1/app-contexts/default/roles?limit=2", c),
            c => Get("/v1/app-contexts/default/roles?limit=3", c),
            _ => "cursor-role-0"),
        ["listIssuers"] = new(
            async client =>
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts",
                        new { contextId = $"cursor-iss-{i}", name = "c" })).StatusCode);
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/auth/issuers", new
                    {
                        issuerId = $"cursor-iss-{i}", issuer = "https://idp.example.com", jwksUri = "https://idp.example.com/jwks",
                        audience = $"cursor-{Guid.NewGuid():N}", contextId = $"cursor-iss-{i}",
                    })).StatusCode);
                }
            },
            c => Get("/v1/auth/issuers?limit=2", c),
            c => Get("/v1/auth/issuers?limit=3", c),
            _ => "cursor-iss-0"),
        ["listAccessProfiles"] = new(
            async client =>
            {
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
                        new { principalId = $"key_cursor{i}", scopes = new[] { new { allowed_actions = new[] { "logs:r" } } } })).StatusCode);
                }
            },
            c => Get("/v1/app-contexts/default/profiles?limit=2", c),
            c => Get("/v1/app-contexts/default/profiles?limit=3", c),
            _ => "key_cursor0"),
        ["listProfilesForPrincipal"] = new(
            async client =>
            {
                for (var i = 0; i < 5; i++)
                {
                    var ctx = $"cursor-ctx-{i}";
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = ctx, name = ctx })).StatusCode);
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/v1/app-contexts/{ctx}/profiles",
                        new { principalId = "key_wanderer", scopes = new[] { new { allowed_actions = new[] { "logs:r" } } } })).StatusCode);
                }
            },
            c => Get("/v1/principals/key_wanderer/profiles?limit=2", c),
            c => Get("/v1/principals/key_wanderer/profiles?limit=3", c),
            _ => "cursor-ctx-0"),
        ["listScopedKeys"] = new(
            async client =>
            {
                var user = await client.PostAsJsonAsync("/v1/users", new { externalId = "cursor-key-user", type = "SERVICE" });
                var userId = (await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
                    new { principalId = $"usr_{userId}", scopes = new[] { new { allowed_actions = new[] { "logs:r" } } } })).StatusCode);
                var tenantId = (await client.GetFromJsonAsync<JsonElement>("/v1/ping")).GetProperty("tenantId").GetString();
                for (var i = 0; i < 5; i++)
                {
                    Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/admin/keys/scoped",
                        new { keyName = $"cursor-{i}", tenantId, contextId = "default", userId })).StatusCode);
                }
            },
            c => Get("/v1/admin/keys/scoped?limit=2", c),
            c => Get("/v1/admin/keys/scoped?limit=3", c),
            _ => Guid.CreateVersion7().ToString()),
        ["listEntities"] = new(
            client => SeedEntitiesAsync(client, "/v1/entities/member", "entity", register: true),
            c => Get("/v1/entities/member?limit=2", c),
            c => Get("/v1/entities/member?limit=3", c),
            RawRecordCursor),
        ["lookupEntities"] = new(
            client => SeedEntitiesAsync(client, "/v1/entities/member", "entity", register: true),
            c => Post("/v1/entities/member/lookup", new { type = "cursor_entity", field = "region", prefix = "us-", limit = 2, startFrom = c }),
            c => Post("/v1/entities/member/lookup", new { type = "cursor_entity", field = "region", prefix = "us-", limit = 2, order = "desc", startFrom = c }),
            RawRecordCursor),
        ["listOrgs"] = new(
            client => SeedEntitiesAsync(client, "/v1/orgs", "org"),
            c => Get("/v1/orgs?limit=2", c),
            c => Get("/v1/orgs?limit=3", c),
            RawRecordCursor),
        ["lookupOrgs"] = new(
            client => SeedEntitiesAsync(client, "/v1/orgs", "org"),
            c => Post("/v1/orgs/lookup", new { type = "cursor_org", field = "region", prefix = "us-", limit = 2, startFrom = c }),
            c => Post("/v1/orgs/lookup", new { type = "cursor_org", field = "region", prefix = "us-", limit = 2, order = "desc", startFrom = c }),
            RawRecordCursor),
        // Not a list* name, but a paged read all the same (spec getAccessLog): see PagedReads.
        ["getAccessLog"] = new(
            SeedAccessLogAsync,
            c => Get("/v1/admin/access-log?contextId=default&limit=2", c),
            c => Get("/v1/admin/access-log?contextId=default&limit=3", c),
            _ => Guid.CreateVersion7().ToString("N")),
        ["listClients"] = new(
            client => SeedEntitiesAsync(client, "/v1/clients", "client"),
            c => Get("/v1/clients?limit=2", c),
            c => Get("/v1/clients?limit=3", c),
            RawRecordCursor),
        ["lookupClients"] = new(
            client => SeedEntitiesAsync(client, "/v1/clients", "client"),
            c => Post("/v1/clients/lookup", new { type = "cursor_client", field = "region", prefix = "us-", limit = 2, startFrom = c }),
            c => Post("/v1/clients/lookup", new { type = "cursor_client", field = "region", prefix = "us-", limit = 2, order = "desc", startFrom = c }),
            RawRecordCursor),
        ["listWebhooks"] = new(
            SeedWebhooksAsync,
            c => Operator(Get($"/developer/webhooks?partnerId={_webhookPartner}&environment=test&limit=2", c)),
            c => Operator(Get($"/developer/webhooks?partnerId={_webhookPartner}&environment=test&limit=3", c)),
            _ => _webhookIds![0]),
        ["listWebhookAttempts"] = new(
            SeedWebhooksAsync,
            c => Operator(Get($"/developer/webhooks/{_webhookIds![0]}/attempts?limit=2", c)),
            c => Operator(Get($"/developer/webhooks/{_webhookIds![0]}/attempts?limit=3", c)),
            _ => "1"),
        ["listUsers"] = new(
            client => SeedEntitiesAsync(client, "/v1/users", "user"),
            c => Get("/v1/users?limit=2", c),
            c => Get("/v1/users?limit=3", c),
            RawRecordCursor),
        ["lookupUsers"] = new(
            client => SeedEntitiesAsync(client, "/v1/users", "user"),
            c => Post("/v1/users/lookup", new { type = "cursor_user", field = "region", prefix = "us-", limit = 2, startFrom = c }),
            c => Post("/v1/users/lookup", new { type = "cursor_user", field = "region", prefix = "us-", limit = 2, order = "desc", startFrom = c }),
            RawRecordCursor),
    };

    /// <summary>Paged routes whose operationId does not start with list or lookup.</summary>
    private static readonly HashSet<string> PagedReads = new(StringComparer.Ordinal) { "getAccessLog" };

    /// <summary>List routes the spec does not page: ModelsResponse is the whole catalog, with no cursor (spec L8023).</summary>
    private static readonly HashSet<string> UnpagedLists = new(StringComparer.Ordinal) { "listInferenceModels" };

    public static TheoryData<string> ListRoutes() => [.. Routes.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_list_route_seals_its_cursors()
    {
        var listRoutes = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName)
            .OfType<string>()
            .Where(name => ((name.StartsWith("list", StringComparison.Ordinal) || name.StartsWith("lookup", StringComparison.Ordinal))
                && !name.EndsWith("Versions", StringComparison.Ordinal)) || PagedReads.Contains(name))
            .Where(name => !UnpagedLists.Contains(name))
            .ToHashSet(StringComparer.Ordinal);

        var unknown = listRoutes.Except(Routes.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0,
            $"List routes without a cursor test: {string.Join(", ", unknown)}. Page them with ListCursors.Unwrap/Wrap " +
            "(src/ApiFrontend/Http/ListCursors.cs) and add them to CursorTests.Routes.");
        Assert.Empty(Routes.Keys.Except(listRoutes));
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task Pages_follow_sealed_cursors_to_the_end(string route)
    {
        var spec = Routes[route];
        await spec.SeedAsync(Client);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await OkAsync(spec.Page(cursor));
            var ids = page.GetProperty("data").EnumerateArray().Select(Key).ToList();
            seen.AddRange(ids);
            cursor = page.GetProperty("nextCursor").GetString();
            if (cursor is not null)
            {
                AssertSealed(cursor, ids);
            }

            Assert.True(++pages < 20, "paging did not end");
        }
        while (cursor is not null);

        Assert.True(pages >= 2, $"{route} returned everything on one page; seed more items");
        Assert.Equal(seen.Count, seen.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task The_same_position_seals_to_a_different_token_each_time(string route)
    {
        var spec = Routes[route];
        await spec.SeedAsync(Client);
        var first = await CursorAsync(spec);
        var second = await CursorAsync(spec);
        Assert.NotEqual(first, second);

        // Both resume at the same place.
        var a = await OkAsync(spec.Page(first));
        var b = await OkAsync(spec.Page(second));
        Assert.Equal(a.GetProperty("data").EnumerateArray().Select(Key), b.GetProperty("data").EnumerateArray().Select(Key));
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task A_cursor_replayed_with_other_parameters_is_a_400_naming_startFrom(string route)
    {
        var spec = Routes[route];
        await spec.SeedAsync(Client);
        var cursor = await CursorAsync(spec);

        var body = await BadStartFromAsync(spec.OtherQuery(cursor));
        Assert.Contains("different query", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ListRoutes))]
    public async Task Forged_truncated_and_raw_cursors_are_a_400_naming_startFrom(string route)
    {
        var spec = Routes[route];
        await spec.SeedAsync(Client);
        var cursor = await CursorAsync(spec);

        var middle = cursor.Length / 2;
        var flipped = cursor[..middle] + (cursor[middle] == 'A' ? 'B' : 'A') + cursor[(middle + 1)..];
        foreach (var bad in new[]
                 {
                     flipped,
                     cursor[..^1],
                     cursor[..(cursor.Length / 2)],
                     cursor + "AA",
                     spec.RawCursor(Partner.TestTenantId),
                     "1",
                     "%%%",
                     new string('A', 5000),
                 })
        {
            await BadStartFromAsync(spec.Page(bad));
        }
    }

    [Fact]
    public async Task A_cursor_is_bound_to_its_tenant()
    {
        var spec = Routes["listFolders"];
        await spec.SeedAsync(Client);
        var cursor = await CursorAsync(spec);

        var other = await Server.CreatePartnerAsync("CursorTests-other");
        using var otherClient = Server.CreateClient(other.TestKey.RawKey);
        await spec.SeedAsync(otherClient);
        var response = await otherClient.SendAsync(spec.Page(cursor));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("startFrom", (await JsonAsync(response)).GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Query_parameter_order_and_case_of_names_do_not_change_the_query()
    {
        await SeedNotesAsync(Client);
        var cursor = await CursorAsync(Routes["listRecords"]);
        await OkAsync(Get("/v1/records?limit=2&type=note", cursor));
        await OkAsync(Get("/v1/records?Limit=2&TYPE=note", cursor));
    }

    [Fact]
    public async Task Versions_routes_keep_row_id_cursors_and_refuse_list_cursors()
    {
        // One entity of each kind with more than one page of history.
        var schema = await JsonAsync(await Client.PostAsJsonAsync("/v1/schemas",
            new { typeName = "history", displayName = "History", fields = new[] { new { fieldId = "n", fieldType = "number" } }, capabilities = new { auditHistory = true } }));
        var schemaId = schema.GetProperty("id").GetString();
        var record = await JsonAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "history", payload = new { n = 0 } }));
        var recordId = record.GetProperty("id").GetString();
        var folder = await JsonAsync(await Client.PostAsJsonAsync("/v1/folders", new { name = "History" }));
        var folderId = folder.GetProperty("id").GetString();
        for (var i = 1; i <= 21; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/records/{recordId}", new { payload = new { n = i } })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/folders/{folderId}", new { name = $"History {i}" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/schemas/{schemaId}", new { displayName = $"History {i}" })).StatusCode);
        }

        await Routes["listFolders"].SeedAsync(Client);
        var listCursor = await CursorAsync(Routes["listFolders"]);
        foreach (var versions in new[] { $"/v1/records/{recordId}/versions", $"/v1/folders/{folderId}/versions", $"/v1/schemas/{schemaId}/versions" })
        {
            var first = await OkAsync(new HttpRequestMessage(HttpMethod.Get, versions));
            var rowCursor = first.GetProperty("nextCursor").GetString();
            Assert.NotNull(rowCursor);
            Assert.True(long.TryParse(rowCursor, out _), $"{versions} should resume from a row id, got {rowCursor}");
            await OkAsync(new HttpRequestMessage(HttpMethod.Get, $"{versions}?startFrom={rowCursor}"));

            await BadStartFromAsync(new HttpRequestMessage(HttpMethod.Get, $"{versions}?startFrom={listCursor}"));
        }
    }

    private static readonly SemaphoreSlim _webhookSeed = new(1, 1);
    private static Guid _webhookPartner;
    private static List<string> _webhookIds = [];

    /// <summary>Portal routes answer the operator token, not the partner's key the other routes use.</summary>
    private static HttpRequestMessage Operator(HttpRequestMessage request)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", VectrosTestServer.OperatorToken);
        return request;
    }

    /// <summary>
    /// Once per run: a partner with five test-environment registrations, the first with at least five delivery attempts.
    /// The shared server allow-lists no receiver, so the URLs name hosts of the verified test domain that do not
    /// resolve: each attempt fails closed and is recorded all the same.
    /// </summary>
    private static async Task SeedWebhooksAsync(HttpClient client)
    {
        await _webhookSeed.WaitAsync();
        try
        {
            if (_webhookIds.Count > 0)
            {
                return;
            }

            using var op = new HttpClient { BaseAddress = client.BaseAddress };
            op.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", VectrosTestServer.OperatorToken);
            var partner = await (await op.PostAsJsonAsync("/developer/partners", new { name = "cursor-webhooks" })).Content.ReadFromJsonAsync<TestPartner>();
            await WebhookTestBed.PrepareDomainAsync(op, partner!.PartnerId);
            var ids = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                var created = await op.PostAsJsonAsync("/developer/webhooks", new
                {
                    partnerId = partner.PartnerId, environment = "test", url = $"https://cursor-{i}.{WebhookTestBed.Domain}/hook", eventTypes = new[] { "record.failed" },
                });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registration").GetProperty("id").GetString()!);
            }

            var db = (await SharedServer.GetAsync()).Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
            for (var i = 0; i < 5; i++)
            {
                await using var cmd = db.CreateCommand(
                    "INSERT INTO events (event_id, tenant_id, context_id, type, source_id, data) VALUES (gen_random_uuid(), $1, 'default', 'record.failed', gen_random_uuid(), '{}')");
                cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = partner.TestTenantId });
                await cmd.ExecuteNonQueryAsync();
            }

            await Poll.UntilAsync(async () =>
            {
                var page = await op.GetFromJsonAsync<JsonElement>($"/developer/webhooks/{ids[0]}/attempts?limit=100");
                return page.GetProperty("data").GetArrayLength() >= 5;
            }, "five attempts");
            _webhookPartner = partner.PartnerId;
            _webhookIds = ids;
        }
        finally
        {
            _webhookSeed.Release();
        }
    }

    private static async Task SeedNotesAsync(HttpClient client)
    {
        var schema = await client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "note",
            displayName = "Note",
            fields = new[] { new { fieldId = "topic", fieldType = "string" } },
            lookupFields = new[] { "topic" },
        });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            var created = await client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { topic = "alpha" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { topic = "beta" } })).StatusCode);
    }

    /// <summary>Five memo documents (a document-surface schema with a <c>topic</c> lookup field).</summary>
    private static async Task SeedDocumentsAsync(HttpClient client)
    {
        var schema = await client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "memo",
            displayName = "Memo",
            allowedSurfaces = new[] { "document" },
            indexMode = "TEXT",
            fields = new[] { new { fieldId = "topic", fieldType = "string" } },
            lookupFields = new[] { "topic" },
        });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
        for (var i = 0; i < 5; i++)
        {
            var created = await client.PostAsJsonAsync("/v1/documents", new { title = $"Memo {i}", text = "text", typeName = "memo", payload = new { topic = "alpha" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
    }

    /// <summary>
    /// Five entities behind <paramref name="route"/> (an <c>/v1/entities/member</c> namespace, registered here, or the
    /// seeded <c>org</c>/<c>client</c> views), bound to a <c>cursor_&lt;surface&gt;</c> schema with a <c>region</c> lookup field.
    /// </summary>
    private static async Task SeedEntitiesAsync(HttpClient client, string route, string surface, bool register = false)
    {
        if (register)
        {
            Assert.Equal(HttpStatusCode.Created,
                (await client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "member", specificityRank = 10, entityBacked = true })).StatusCode);
        }

        var schema = await client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = $"cursor_{surface}",
            displayName = "Cursor",
            allowedSurfaces = new[] { surface },
            fields = new[] { new { fieldId = "region", fieldType = "string" } },
            lookupFields = new[] { new { fieldName = "region", rangeEnabled = true } },
        });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
        var schemaId = (await schema.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        for (var i = 0; i < 5; i++)
        {
            var created = await client.PostAsJsonAsync(route, new
            {
                externalId = $"cursor-{i}",
                schemaId,
                payload = new { region = $"us-{i}" },
            });
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{route}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Five sensitive reads, then waits until the access log holds them (it is written asynchronously).</summary>
    private static async Task SeedAccessLogAsync(HttpClient client)
    {
        await client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "secret_note",
            displayName = "Secret note",
            fields = new object[] { new { fieldId = "secret", fieldType = "string", sensitive = true } },
        });
        for (var i = 0; i < 5; i++)
        {
            var created = await client.PostAsJsonAsync("/v1/records", new { typeName = "secret_note", payload = new { secret = $"s-{i}" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/records/{id}")).StatusCode);
        }

        await Poll.UntilAsync(async () =>
        {
            var page = await client.GetFromJsonAsync<JsonElement>("/v1/admin/access-log?contextId=default&limit=500");
            return page.GetProperty("data").GetArrayLength() >= 5;
        }, "five access-log rows");
    }

    /// <summary>The record grains' own cursor: base64url of "sort value \n record id" (RecordCursor).</summary>
    private static string RawRecordCursor(string tenant) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("\n" + Guid.CreateVersion7()));

    private static HttpRequestMessage Get(string url, string? cursor) =>
        new(HttpMethod.Get, cursor is null ? url : $"{url}&startFrom={Uri.EscapeDataString(cursor)}");

    private static HttpRequestMessage Post(string url, object body) => new(HttpMethod.Post, url) { Content = JsonContent.Create(body) };

    private static string Key(JsonElement item) =>
        item.TryGetProperty("id", out var id) ? id.GetString()!
        : item.TryGetProperty("issuerId", out var issuer) ? issuer.GetString()!
        : item.TryGetProperty("keyId", out var keyId) ? keyId.GetString()!
        : item.TryGetProperty("namespace", out var ns) ? ns.GetString()!
        : item.GetProperty("contextId").GetString()!;

    /// <summary>The cursor reveals nothing of the rows it resumes from, however it is decoded.</summary>
    private static void AssertSealed(string cursor, IEnumerable<string> ids)
    {
        Assert.True(Base64Url.IsValid(cursor), $"a cursor is base64url: {cursor}");
        var decoded = Encoding.Latin1.GetString(Base64Url.DecodeFromChars(cursor));
        foreach (var id in ids)
        {
            Assert.DoesNotContain(id, cursor, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(id, decoded, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<string> CursorAsync(ListRoute spec) =>
        (await OkAsync(spec.Page(null))).GetProperty("nextCursor").GetString() ?? throw new InvalidOperationException("expected a second page");

    private async Task<JsonElement> OkAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{request.Method} {request.RequestUri}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> BadStartFromAsync(HttpRequestMessage request)
    {
        var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{request.Method} {request.RequestUri}: {response.StatusCode} {text}");
        var body = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal("VALIDATION_ERROR", body.GetProperty("errorCode").GetString());
        Assert.Equal("startFrom", body.GetProperty("details").GetProperty("field").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("requestId").GetString()));
        return body;
    }

    private sealed record ListRoute(
        Func<HttpClient, Task> SeedAsync,
        Func<string?, HttpRequestMessage> Page,
        Func<string?, HttpRequestMessage> OtherQuery,
        Func<string, string> RawCursor);
}
