using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Exports;

/// <summary>
/// <c>POST /v1/admin/export</c> and <c>GET /v1/admin/export/{id}</c> end to end: the NDJSON payload fetched from its
/// presigned URL with no credential, every line parsed, the manifest's counts checked against the lines.
/// </summary>
public sealed class ExportTests : ApiTestBase
{
    private const string Ssn = "123-45-6789";
    private const string ForeignMarker = "foreign-tenant-marker";

    private string _userId = null!;
    private Guid _orgId;
    private string _patientId = null!;
    private string _ownedId = null!;
    private string _orgRecordId = null!;
    private string _documentId = null!;
    private string _folderId = null!;
    private string _sideRecordId = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CreateSchemaAsync(new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[] { new { fieldId = "name", fieldType = "string" }, new { fieldId = "ssn", fieldType = "string", sensitive = true } },
        });
        await CreateSchemaAsync(new { typeName = "note", displayName = "Note", fields = new object[] { new { fieldId = "text", fieldType = "string" } } });
        _userId = await ScopedCredentials.CreateUserAsync(Client);
        _orgId = await CreateOrgAsync();
        _patientId = await CreateAsync("/v1/records", new { typeName = "patient", payload = new { name = "Ann", ssn = Ssn } });
        _ownedId = await CreateAsync("/v1/records", new { typeName = "note", payload = new { text = "mine" }, userId = _userId });
        _orgRecordId = await CreateAsync("/v1/records", new { typeName = "note", payload = new { text = "the org's" }, scopes = new[] { $"org:{_orgId}" } });
        _documentId = await CreateAsync("/v1/documents", new { title = "Handbook", text = "The handbook text.", indexMode = "NONE" });
        _folderId = await CreateAsync("/v1/folders", new { name = "Exported folder" });

        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "side-app", name = "Side" })).StatusCode);
        using var side = Server.CreateClient(await ContextKeyAsync("side-app"));
        Assert.Equal(HttpStatusCode.Created, (await side.PostAsJsonAsync("/v1/schemas", new { typeName = "note", displayName = "Note", fields = new object[] { new { fieldId = "text", fieldType = "string" } } })).StatusCode);
        _sideRecordId = await CreateAsync("/v1/records", new { typeName = "note", payload = new { text = "side" } }, side);

        // The partner's live tenant is another tenant: nothing of it may appear.
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.Created, (await live.PostAsJsonAsync("/v1/schemas", new { typeName = "note", displayName = "Note", fields = new object[] { new { fieldId = "text", fieldType = "string" } } })).StatusCode);
        await CreateAsync("/v1/records", new { typeName = "note", payload = new { text = ForeignMarker } }, live);
    }

    [Fact]
    public async Task A_tenant_export_holds_every_kind_of_row_with_counts_that_match_and_sensitive_values_redacted()
    {
        var (job, lines) = await ExportClient.RunAsync(Client, new { scope = "tenant" });

        ExportClient.AssertCountsMatch(job, lines);
        Assert.Equal("export", lines[0].GetProperty("type").GetString());
        Assert.Equal("1.0", lines[0].GetProperty("formatVersion").GetString());
        var contexts = job.GetProperty("manifest").GetProperty("contextsExported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("default", contexts);
        Assert.Contains("side-app", contexts);
        Assert.Equal(job.GetProperty("manifest").GetProperty("sizeBytes").GetInt64(), lines.Sum(l => (long)l.GetRawText().Length + 1));

        var records = lines.OfType("record").ToDictionary(l => l.GetProperty("record").GetProperty("id").GetString()!);
        Assert.Equal(4, records.Count);
        var patient = records[_patientId].GetProperty("record");
        Assert.Equal("[redacted]", patient.GetProperty("payload").GetProperty("ssn").GetString());
        Assert.Equal("Ann", patient.GetProperty("payload").GetProperty("name").GetString());
        Assert.DoesNotContain(lines, l => l.GetRawText().Contains(Ssn, StringComparison.Ordinal));
        Assert.Equal("side-app", records[_sideRecordId].GetProperty("contextId").GetString());
        Assert.Equal("default", records[_ownedId].GetProperty("contextId").GetString());

        // The same JSON the read API returns for the record.
        var read = await Client.GetFromJsonAsync<JsonElement>($"/v1/records/{_ownedId}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(read.GetRawText()), JsonNode.Parse(records[_ownedId].GetProperty("record").GetRawText())),
            $"{read} vs {records[_ownedId]}");

        var document = Assert.Single(lines.OfType("document"));
        Assert.Equal(_documentId, document.GetProperty("document").GetProperty("id").GetString());
        Assert.Equal("The handbook text.", document.GetProperty("text").GetString());
        Assert.Contains(lines.OfType("folder"), l => l.GetProperty("folder").GetProperty("id").GetString() == _folderId);
        Assert.Contains(lines.OfType("user"), l => l.GetProperty("user").GetProperty("id").GetString() == _userId);
        Assert.Contains(lines.OfType("entity"), l => l.GetProperty("entity").GetProperty("id").GetString() == _orgId.ToString()
            && l.GetProperty("namespace").GetString() == "org");
        Assert.Contains(lines.OfType("schema"), l => l.GetProperty("schema").GetProperty("typeName").GetString() == "patient");
        Assert.Empty(lines.OfType("version"));
        Assert.DoesNotContain(lines, l => l.GetRawText().Contains(ForeignMarker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Context_scope_limits_the_export_to_the_named_contexts()
    {
        var (job, lines) = await ExportClient.RunAsync(Client, new { contextScope = new[] { "side-app" } });

        ExportClient.AssertCountsMatch(job, lines);
        Assert.Equal(["side-app"], job.GetProperty("manifest").GetProperty("contextsExported").EnumerateArray().Select(e => e.GetString()));
        var record = Assert.Single(lines.OfType("record"));
        Assert.Equal(_sideRecordId, record.GetProperty("record").GetProperty("id").GetString());
        Assert.Empty(lines.OfType("document"));
        Assert.DoesNotContain(lines, l => l.TryGetProperty("contextId", out var c) && c.GetString() == "default");
    }

    [Fact]
    public async Task A_user_subject_export_holds_what_the_user_owns_by_id_or_external_id()
    {
        var (job, lines) = await ExportClient.RunAsync(Client, new { scope = "subject", subjectType = "user", subjectId = _userId });

        Assert.Equal("subject", job.GetProperty("scope").GetString());
        Assert.Equal("user", job.GetProperty("subjectType").GetString());
        Assert.Equal(_userId, job.GetProperty("subjectId").GetString());
        ExportClient.AssertCountsMatch(job, lines);
        Assert.Equal(_ownedId, Assert.Single(lines.OfType("record")).GetProperty("record").GetProperty("id").GetString());
        Assert.Equal(_userId, Assert.Single(lines.OfType("user")).GetProperty("user").GetProperty("id").GetString());
        Assert.Empty(lines.OfType("document"));
        Assert.Empty(lines.OfType("schema"));

        var user = await Client.GetFromJsonAsync<JsonElement>($"/v1/users/{_userId}");
        var byExternal = await ExportClient.WaitAsync(Client, await ExportClient.SubmitAsync(Client,
            new { scope = "subject", subjectType = "user", externalId = user.GetProperty("externalId").GetString() }));
        Assert.Equal(_userId, byExternal.GetProperty("subjectId").GetString());
        Assert.Equal(1, byExternal.GetProperty("manifest").GetProperty("totalRecords").GetInt64());
    }

    [Fact]
    public async Task A_namespace_subject_export_holds_the_rows_scoped_to_the_entity_and_the_entity()
    {
        var (job, lines) = await ExportClient.RunAsync(Client, new { scope = "subject", subjectType = "org", subjectId = _orgId.ToString() });

        ExportClient.AssertCountsMatch(job, lines);
        Assert.Equal(_orgRecordId, Assert.Single(lines.OfType("record")).GetProperty("record").GetProperty("id").GetString());
        Assert.Equal(_orgId.ToString(), Assert.Single(lines.OfType("entity")).GetProperty("entity").GetProperty("id").GetString());
        Assert.Empty(lines.OfType("user"));
    }

    [Fact]
    public async Task Audit_history_is_included_only_when_asked_for()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsync($"/v1/records/{_ownedId}",
            JsonContent.Create(new { payload = new { text = "mine, edited" } }))).StatusCode);

        var (job, lines) = await ExportClient.RunAsync(Client, new { includeAuditHistory = true, contextScope = new[] { "default" } });
        ExportClient.AssertCountsMatch(job, lines);
        var versions = lines.OfType("version").Where(l => l.GetProperty("entityId").GetString() == _ownedId).ToList();
        Assert.NotEmpty(versions);
        Assert.All(versions, v => Assert.Equal("record", v.GetProperty("entityKind").GetString()));
        Assert.Contains(versions, v => v.GetProperty("version").GetProperty("changeType").GetString() == "UPDATE");
        Assert.DoesNotContain(lines, l => l.GetRawText().Contains(Ssn, StringComparison.Ordinal));

        var (_, subjectLines) = await ExportClient.RunAsync(Client, new { scope = "subject", subjectType = "user", subjectId = _userId, includeAuditHistory = true });
        Assert.Contains(subjectLines.OfType("version"), v => v.GetProperty("entityId").GetString() == _ownedId);
        Assert.DoesNotContain(subjectLines.OfType("version"), v => v.GetProperty("entityId").GetString() == _patientId);

        var (_, without) = await ExportClient.RunAsync(Client, new { contextScope = new[] { "default" } });
        Assert.Empty(without.OfType("version"));
    }

    [Fact]
    public async Task Scoped_credentials_are_refused_and_write_nothing()
    {
        var token = await ScopedCredentials.MintAsync(Client, ["records:crud"]);
        using var scoped = Server.CreateClient(token);
        var before = await JobCountAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.PostAsJsonAsync("/v1/admin/export", new { scope = "tenant" })).StatusCode);
        var id = await ExportClient.SubmitAsync(Client, new { contextScope = new[] { "side-app" } });
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync($"/v1/admin/export/{id}")).StatusCode);
        Assert.Equal(before + 1, await JobCountAsync());
    }

    [Fact]
    public async Task Missing_and_foreign_job_ids_are_404()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/admin/export/exp_{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/admin/export/not-an-id")).StatusCode);
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        var foreign = await ExportClient.SubmitAsync(live, new { scope = "tenant" });
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/admin/export/{foreign}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"scope":"everything"}""", "scope")]
    [InlineData("""{"format":"csv"}""", "format")]
    [InlineData("""{"includeAuditHistory":"yes"}""", "$.includeAuditHistory")]
    [InlineData("""{"contextScope":["no-such-app"]}""", "contextScope[0]")]
    [InlineData("""{"contextScope":["default","Bad Id"]}""", "contextScope[1]")]
    [InlineData("""{"contextScope":"default"}""", "$.contextScope")]
    [InlineData("""{"unknown":1}""", "$.unknown")]
    [InlineData("""{"scope":"subject","subjectId":"x"}""", "subjectType")]
    [InlineData("""{"scope":"subject","subjectType":"user"}""", "subjectId")]
    [InlineData("""{"scope":"subject","subjectType":"user","subjectId":"00000000-0000-0000-0000-000000000001","externalId":"e"}""", "externalId")]
    [InlineData("""{"scope":"subject","subjectType":"user","subjectId":"not-a-uuid"}""", "subjectId")]
    [InlineData("""{"scope":"subject","subjectType":"user","subjectId":"00000000-0000-0000-0000-000000000001"}""", "subjectId")]
    [InlineData("""{"scope":"subject","subjectType":"user","externalId":"nobody-has-this"}""", "externalId")]
    [InlineData("""{"scope":"subject","subjectType":"no_such_ns","subjectId":"x"}""", "subjectType")]
    [InlineData("""{"scope":"tenant","subjectId":"x"}""", "subjectId")]
    public async Task Bad_input_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var before = await JobCountAsync();
        var response = await Client.PostAsync("/v1/admin/export", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var error = await JsonAsync(response);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {error}");
        Assert.Equal(field, error.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await JobCountAsync());
    }

    [Fact]
    public async Task A_tampered_or_forged_url_serves_nothing()
    {
        var job = await ExportClient.WaitAsync(Client, await ExportClient.SubmitAsync(Client, new { contextScope = new[] { "side-app" } }));
        var url = job.GetProperty("downloadUrl").GetString()!;
        var slash = url.LastIndexOf('/');
        var token = url[(slash + 1)..];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        using var anonymous = new HttpClient();

        string Flip(string s, int at) => s[..at] + (s[at] == 'A' ? 'B' : 'A') + s[(at + 1)..];
        foreach (var bad in new[] { Flip(token, dot + 3), Flip(token, 3), token[..dot], "x.y", token + "A" })
        {
            var response = await anonymous.GetAsync(url[..(slash + 1)] + bad);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{response.StatusCode}: {text}");
            Assert.DoesNotContain("\"record\"", text, StringComparison.Ordinal);
        }

        // The genuine URL still works, and the credential routes need no header for it.
        Assert.Single((await ExportClient.DownloadAsync(url)).OfType("record"));
    }

    [Fact]
    public async Task Completed_jobs_carry_a_url_that_expires_and_polling_mints_a_fresh_one()
    {
        var id = await ExportClient.SubmitAsync(Client, new { contextScope = new[] { "side-app" } });
        var first = await ExportClient.WaitAsync(Client, id);
        Assert.True(first.TryGetProperty("completedAt", out _));
        var expires = DateTimeOffset.Parse(first.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(50), TimeSpan.FromMinutes(61));
    }

    private async Task<string> CreateAsync(string route, object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync(route, request);
        var body = await JsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"{route}: {response.StatusCode}: {body}");
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>A key bound to another context: a scoped key with every grant, minted by the root key.</summary>
    private async Task<string> ContextKeyAsync(string contextId)
    {
        var response = await Client.PostAsJsonAsync("/v1/auth/token", new Dictionary<string, object?>
        {
            ["contextId"] = contextId,
            ["scope"] = new Dictionary<string, object?> { ["allowedActions"] = new[] { "records:crud", "schemas:crud" }, ["dataScope"] = new Dictionary<string, string[]>() },
        });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body.GetProperty("token").GetString()!;
    }

    private async Task<long> JobCountAsync()
    {
        await using var cmd = Db.CreateCommand("SELECT count(*) FROM export_jobs WHERE tenant_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
