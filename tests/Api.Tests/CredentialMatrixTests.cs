using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Xunit;
using static Vectros.Api.Tests.ScopedCredentials;

namespace Vectros.Api.Tests;

/// <summary>What one credential gets from one probe of an endpoint family.</summary>
public enum Outcome
{
    Allowed,
    Forbidden,
    Invisible,
    Redacted,
    Revealed,
    Unauthorized,
}

/// <summary>
/// The credential × endpoint matrix (issue #9 item 7): each credential kind is driven against one probe per endpoint
/// family, and the whole row of outcomes (allowed, 403, invisible-404, redacted/revealed, 401) is asserted at once.
/// Adding a credential kind is one factory in <see cref="Kinds"/> and one row in <see cref="Expected"/>
/// (ssk keys and exchanged st tokens land from other branches). Every case seeds its own world in a fresh partner.
/// </summary>
public sealed class CredentialMatrixTests : DocumentTestBase
{
    private const string Mrn = "MRN-31337";
    private const string Term = "quayside";

    /// <summary>Builds a credential for the world: the HTTP client it calls with.</summary>
    private delegate Task<HttpClient> Kind(CredentialMatrixTests test, World world);

    /// <summary>One call per family; returns what the credential got.</summary>
    private delegate Task<Outcome> Probe(HttpClient client, World world);

    /// <summary>Items seeded by the root key: <c>Me</c> is the user scoped tokens act for, <c>Other</c> someone else.</summary>
    private sealed record World(string Me, string Other, string OwnDocument, string ForeignDocument, string ForeignFolder, string OwnRecord, string ForeignRecord, Guid ForeignChunk);

    private static readonly Dictionary<string, Kind> Kinds = new()
    {
        ["root"] = (t, _) => Task.FromResult(t.Server.CreateClient(t.Partner.TestKey.RawKey)),
        ["st-narrow"] = (t, w) => t.TokenAsync(w, ["documents:crud", "folders:crud", "records:crud:patient", "search:r"], OwnUser),
        ["st-wide"] = (t, _) => t.TokenAsync(null, ["*"], new Dictionary<string, string[]>()),
        ["st-reveal"] = (t, w) => t.TokenAsync(w, ["documents:r", "documents:s:patient", "records:rs:patient", "folders:r", "search:r"], OwnUser),
        ["st-no-reveal"] = (t, w) => t.TokenAsync(w, ["documents:r", "records:r:patient", "folders:r", "search:r"], OwnUser),
        ["st-minter-revoked"] = (t, _) => t.RevokedMinterTokenAsync(),
        ["st-expired"] = (t, _) => t.ExpiredTokenAsync(),
        ["ssk-narrow"] = (t, w) => t.ScopedKeyAsync(w, ["documents:crud", "folders:crud", "records:crud:patient", "search:r"], OwnUser),
        ["ssk-wide"] = (t, w) => t.ScopedKeyAsync(w, ["*"], new Dictionary<string, string[]>()),
        ["ssk-reveal"] = (t, w) => t.ScopedKeyAsync(w, ["documents:r", "documents:s:patient", "records:rs:patient", "folders:r", "search:r"], OwnUser),
        ["ssk-revoked"] = (t, w) => t.RevokedScopedKeyAsync(w),
        ["st-exchanged"] = (t, _) => t.ExchangedTokenAsync(["documents:crud", "folders:crud", "records:crud:patient", "search:r"], OwnUser),
    };

    private static readonly (string Family, Probe Probe)[] Families =
    [
        ("documents.read-own", (c, w) => StatusAsync(c.GetAsync($"/v1/documents/{w.OwnDocument}"))),
        ("documents.read-foreign", (c, w) => StatusAsync(c.GetAsync($"/v1/documents/{w.ForeignDocument}"))),
        ("documents.create-for-other", (c, w) => StatusAsync(c.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", indexMode = "TEXT", userId = w.Other }))),
        ("documents.reveal", (c, w) => RevealAsync(c.GetAsync($"/v1/documents/{w.OwnDocument}"))),
        ("folders.read-foreign", (c, w) => StatusAsync(c.GetAsync($"/v1/folders/{w.ForeignFolder}"))),
        ("search.foreign-result", SearchForeignAsync),
        ("records.create", (c, _) => StatusAsync(c.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { author = "a" } }))),
        ("records.reveal", (c, w) => RevealAsync(c.GetAsync($"/v1/records/{w.OwnRecord}"))),
        ("records.read-foreign", (c, w) => StatusAsync(c.GetAsync($"/v1/records/{w.ForeignRecord}"))),
        ("entities.list", (c, _) => StatusAsync(c.GetAsync("/v1/entities/org"))),
        ("schemas.list", (c, _) => StatusAsync(c.GetAsync("/v1/schemas"))),
        ("app-contexts.list", (c, _) => StatusAsync(c.GetAsync("/v1/app-contexts"))),
        ("root-only.mint-token", (c, _) => StatusAsync(c.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "documents:r" } } }))),
        ("usage.read", (c, _) => StatusAsync(c.GetAsync("/v1/usage"))),
    ];

    private const Outcome A = Outcome.Allowed, F = Outcome.Forbidden, I = Outcome.Invisible, R = Outcome.Redacted, V = Outcome.Revealed, U = Outcome.Unauthorized;

    /// <summary>Rows in the order of <see cref="Families"/>.</summary>
    private static readonly Dictionary<string, Outcome[]> Expected = new()
    {
        ["root"] = [A, A, A, R, A, A, A, R, A, A, A, A, A, A],
        ["st-narrow"] = [A, I, F, R, I, I, A, R, I, F, F, F, F, F],
        ["st-wide"] = [A, A, F, R, A, A, A, R, A, A, A, A, F, A],
        ["st-reveal"] = [A, I, F, V, I, I, F, V, I, F, F, F, F, F],
        ["st-no-reveal"] = [A, I, F, R, I, I, F, R, I, F, F, F, F, F],
        ["st-minter-revoked"] = [U, U, U, U, U, U, U, U, U, U, U, U, U, U],
        ["st-expired"] = [U, U, U, U, U, U, U, U, U, U, U, U, U, U],

        // A key acts as its bound user (Me) under that user's profile, as a token minted for Me does. The wide key's {} data
        // scope places no owner, so its records.create yields a tenant-level record (API-DELTA §15 item 3).
        ["ssk-narrow"] = [A, I, F, R, I, I, A, R, I, F, F, F, F, F],
        ["ssk-wide"] = [A, A, F, R, A, A, A, R, A, A, A, A, F, A],
        ["ssk-reveal"] = [A, I, F, V, I, I, F, V, I, F, F, F, F, F],
        ["ssk-revoked"] = [U, U, U, U, U, U, U, U, U, U, U, U, U, U],

        // Exchanged for a user who signed up through the issuer: someone other than Me, so even Me's items are invisible.
        ["st-exchanged"] = [I, I, F, I, I, I, A, I, I, F, F, F, F, F],
    };

    public static TheoryData<string> KindNames => [.. Kinds.Keys];

    [Theory]
    [MemberData(nameof(KindNames))]
    public async Task Each_credential_kind_meets_each_endpoint_family_as_the_matrix_says(string kind)
    {
        var world = await SeedWorldAsync();
        using var client = await Kinds[kind](this, world);
        var actual = new List<string>();
        var expected = new List<string>();
        for (var i = 0; i < Families.Length; i++)
        {
            expected.Add($"{Families[i].Family}={Expected[kind][i]}");
            actual.Add($"{Families[i].Family}={await Families[i].Probe(client, world)}");
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_kind_has_a_full_row()
    {
        Assert.Equal(Kinds.Keys.Order(), Expected.Keys.Order());
        Assert.All(Expected.Values, row => Assert.Equal(Families.Length, row.Length));
    }

    private async Task<World> SeedWorldAsync()
    {
        var me = await CreateUserAsync(Client);
        var other = await CreateUserAsync(Client);
        await CreateSchemaAsync(new
        {
            typeName = "patient",
            displayName = "patient",
            allowedSurfaces = new[] { "record", "document" },
            fields = new object[] { new { fieldId = "author", fieldType = "string" }, new { fieldId = "mrn", fieldType = "string", sensitive = true } },
            indexMode = "TEXT",
        });
        var own = Id(await IngestAsync(new { title = "own", text = "t", typeName = "patient", userId = me, payload = new { mrn = Mrn } }));
        var foreign = Id(await IngestAsync(new { title = "foreign", text = "t", indexMode = "TEXT", userId = other }));
        var folder = Id(await ExpectAsync(await Client.PostAsJsonAsync("/v1/folders", new { name = "Theirs", userId = other }), HttpStatusCode.Created));
        var record = Id(await CreateRecordAsync(new { typeName = "patient", userId = me, payload = new { author = "a", mrn = Mrn } }));
        var foreignRecord = Id(await CreateRecordAsync(new { typeName = "patient", userId = other, payload = new { author = "b" } }));

        // A foreign document's chunk, seeded straight into the index so the probe need not wait for the pipeline.
        var chunk = new ChunkSeed($"{Term} foreign") { UserId = Guid.Parse(other) };
        await ChunkSeeder.SeedAsync(Db, Server.Services.GetRequiredService<IEmbedder>(), Partner.TestTenantId, [chunk]);
        return new World(me, other, own, foreign, folder, record, foreignRecord, chunk.SourceId);
    }

    private async Task<HttpClient> TokenAsync(World? world, string[] actions, object dataScope) =>
        Server.CreateClient(await MintAsync(Client, actions, dataScope, userId: world?.Me));

    /// <summary>A token minted by a second root key (the partner's live key), which is then revoked: 401 within the cache bound.</summary>
    private async Task<HttpClient> RevokedMinterTokenAsync()
    {
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        var token = Server.CreateClient(await MintAsync(live, ["*"]));
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/v1/ping")).StatusCode);
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.NoContent, (await op.PostAsync($"/developer/keys/{Partner.LiveKey.KeyId}/revoke", null)).StatusCode);
        await Poll.UntilAsync(async () => (await token.GetAsync("/v1/ping")).StatusCode == HttpStatusCode.Unauthorized, "the revoked minter's token refused");
        return token;
    }

    /// <summary>An <c>ssk_</c> key bound to Me, whose access profile in the context is the one clause given.</summary>
    private async Task<HttpClient> ScopedKeyAsync(World world, string[] actions, object dataScope) =>
        Server.CreateClient((await MintScopedKeyAsync(world, actions, dataScope)).RawKey);

    private async Task<(string KeyId, string RawKey)> MintScopedKeyAsync(World world, string[] actions, object dataScope)
    {
        var profile = await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "usr_" + world.Me, scopes = new[] { new { allowed_actions = actions, data_scope = dataScope } } });
        await ExpectAsync(profile, HttpStatusCode.Created);
        var key = await ExpectAsync(
            await Client.PostAsJsonAsync("/v1/admin/keys/scoped", new { keyName = "matrix", tenantId = Partner.TestTenantId, contextId = "default", userId = world.Me }),
            HttpStatusCode.Created);
        return (key.GetProperty("keyId").GetString()!, key.GetProperty("rawKey").GetString()!);
    }

    /// <summary>A key that worked, then was revoked: 401 within the promised 5 s.</summary>
    private async Task<HttpClient> RevokedScopedKeyAsync(World world)
    {
        var (keyId, rawKey) = await MintScopedKeyAsync(world, ["*"], new Dictionary<string, string[]>());
        var key = Server.CreateClient(rawKey);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/admin/keys/scoped/{keyId}")).StatusCode);
        await Poll.UntilAsync(async () => (await key.GetAsync("/v1/ping")).StatusCode == HttpStatusCode.Unauthorized, "the revoked key refused", TimeSpan.FromSeconds(5));
        return key;
    }

    /// <summary>
    /// An <c>st_</c> token from the RFC 8693 exchange: an in-process OpenID provider's ID token for a new subject, signed up
    /// under a self-signup policy whose role holds the one clause given.
    /// </summary>
    private async Task<HttpClient> ExchangedTokenAsync(string[] actions, object dataScope)
    {
        _provider ??= await FakeOpenIdProvider.StartAsync();
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/app-contexts/default/roles", new
        {
            roleId = "matrix",
            name = "Matrix",
            scopes = new[] { new { allowed_actions = actions, data_scope = dataScope } },
        }), HttpStatusCode.Created);
        var audience = "matrix-" + Guid.NewGuid().ToString("N");
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/auth/issuers", new
        {
            issuerId = "m" + Guid.NewGuid().ToString("N")[..12],
            issuer = _provider.Issuer,
            jwksUri = _provider.JwksUri,
            audience,
            contextId = "default",
            selfSignupPolicies = new[] { new { signup_type = "member", role_id = "matrix" } },
        }), HttpStatusCode.Created);
        using var anonymous = Server.CreateClient();
        var exchanged = await ExpectAsync(await anonymous.PostAsJsonAsync("/v1/auth/token/exchange", new Dictionary<string, string>
        {
            ["grant_type"] = ExchangeTestBase.GrantType,
            ["subject_token"] = _provider.IdToken(audience, "sub-" + Guid.NewGuid().ToString("N"), "matrix@example.com"),
            ["subject_token_type"] = ExchangeTestBase.IdTokenType,
        }), HttpStatusCode.OK);
        return Server.CreateClient(exchanged.GetProperty("access_token").GetString()!);
    }

    private FakeOpenIdProvider? _provider;

    public override async Task DisposeAsync()
    {
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Correctly signed by the server's own key but expired beyond the clock skew.</summary>
    private async Task<HttpClient> ExpiredTokenAsync()
    {
        await MintAsync(Client, ["documents:r"]);
        var (kid, key) = await TokenForge.ServerKeyAsync(Db);
        using (key)
        {
            return Server.CreateClient(TokenForge.Sign(key, kid, TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(-2))));
        }
    }

    private static async Task<Outcome> StatusAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return Of(response.StatusCode);
    }

    private static Outcome Of(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent => Outcome.Allowed,
        HttpStatusCode.Forbidden => Outcome.Forbidden,
        HttpStatusCode.NotFound => Outcome.Invisible,
        HttpStatusCode.Unauthorized => Outcome.Unauthorized,
        _ => throw new Xunit.Sdk.XunitException($"unexpected status {(int)status}"),
    };

    private static async Task<Outcome> RevealAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return Of(response.StatusCode);
        }

        var mrn = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("payload").GetProperty("mrn").GetString();
        return mrn == Mrn ? Outcome.Revealed : mrn == "[redacted]" ? Outcome.Redacted : throw new Xunit.Sdk.XunitException("mrn neither revealed nor redacted");
    }

    private static async Task<Outcome> SearchForeignAsync(HttpClient client, World world)
    {
        using var response = await client.PostAsJsonAsync("/v1/search", new { query = Term, mode = "TEXT" });
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return Of(response.StatusCode);
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("results").EnumerateArray().Any(r => r.GetProperty("documentId").GetString() == world.ForeignChunk.ToString())
            ? Outcome.Allowed
            : Outcome.Invisible;
    }
}
