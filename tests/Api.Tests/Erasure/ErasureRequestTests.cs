using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Erasure;

/// <summary>
/// The request surface of <c>/v1/erasure-requests</c>: root only, validation before anything is written, 404 for
/// unknown subjects and foreign or missing request ids, and a certificate that verifies with the published JWKS.
/// </summary>
public sealed class ErasureRequestTests : ErasureTestBase
{
    [Fact]
    public async Task Bad_input_is_refused_with_the_field_named_and_nothing_written()
    {
        var user = await CreateUserAsync();
        var before = await SnapshotAsync();
        var outbox = await ScalarAsync("SELECT count(*) FROM outbox WHERE tenant_id = $1 AND kind = 'erasure.request'", Partner.TestTenantId);
        (object Body, string Field)[] cases =
        [
            (new { subjectId = user }, "subjectType"),
            (new { subjectType = "", subjectId = user }, "subjectType"),
            (new { subjectType = "user" }, "subjectId"),
            (new { subjectType = "user", subjectId = user, externalId = "x" }, "subjectId"),
            (new { subjectType = "user", subjectId = user, auditDisposition = "shred" }, "auditDisposition"),
            (new { subjectType = "user", subjectId = user, contextScope = new[] { "Not A Context" } }, "contextScope[0]"),
            (new { subjectType = "user", subjectId = user, contextScope = new[] { "default", "no-such-ctx" } }, "contextScope[1]"),
            (new { subjectType = "planets", subjectId = user }, "subjectType"),
            (new { subjectType = "user", subjectId = user, dryRun = "yes" }, "$.dryRun"),
            (new { subjectType = "user", subjectId = user, cascade = true }, "$.cascade"),
        ];
        foreach (var (body, field) in cases)
        {
            var response = await Client.PostAsJsonAsync("/v1/erasure-requests", body);
            var error = await JsonAsync(response);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {response.StatusCode} {error}");
            Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/v1/erasure-requests", RawJson("{not json"))).StatusCode);
        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(outbox, await ScalarAsync("SELECT count(*) FROM outbox WHERE tenant_id = $1 AND kind = 'erasure.request'", Partner.TestTenantId));
    }

    [Fact]
    public async Task Unknown_and_foreign_subjects_are_404_with_nothing_written()
    {
        var stranger = await Server.CreatePartnerAsync("erasure-foreign");
        using var strangerClient = Server.CreateClient(stranger.TestKey.RawKey);
        var created = await strangerClient.PostAsJsonAsync("/v1/users", new { externalId = "theirs", type = "SERVICE" });
        var foreignUser = (await ExpectAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();
        var before = await SnapshotAsync();

        foreach (var body in new object[]
        {
            new { subjectType = "user", subjectId = Guid.NewGuid() },
            new { subjectType = "user", subjectId = foreignUser },
            new { subjectType = "user", externalId = "theirs" },
            new { subjectType = "user", subjectId = "not-a-uuid" },
            new { subjectType = "org", subjectId = Guid.NewGuid() },
        })
        {
            var response = await Client.PostAsJsonAsync("/v1/erasure-requests", body);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("No such subject", (await JsonAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM users WHERE tenant_id = $1", stranger.TestTenantId));
    }

    [Fact]
    public async Task Scoped_credentials_are_refused_and_request_ids_of_others_are_404()
    {
        var user = await CreateUserAsync();
        using var scoped = Server.CreateClient(await ScopedKeyMint.MintAsync(Client, Partner.TestTenantId, "default", ["records:crud"]));
        var refused = await scoped.PostAsJsonAsync("/v1/erasure-requests", new { subjectType = "user", subjectId = user });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM erasure_requests WHERE tenant_id = $1", Partner.TestTenantId));

        var requestId = await SubmitAsync(new { subjectType = "user", subjectId = user, dryRun = true });
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync($"/v1/erasure-requests/{requestId}")).StatusCode);
        await CompletedAsync(requestId);
        Assert.Equal(1, await CountAsync("users", "user_id", user)); // a dry run

        var stranger = await Server.CreatePartnerAsync("erasure-other");
        using var strangerClient = Server.CreateClient(stranger.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerClient.GetAsync($"/v1/erasure-requests/{requestId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/erasure-requests/er_{Guid.NewGuid():N}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/erasure-requests/nonsense")).StatusCode);
    }

    [Fact]
    public async Task The_certificate_verifies_with_the_jwks_and_a_tampered_one_does_not()
    {
        var user = await CreateUserAsync();
        await CreateSchemaAsync(new { typeName = "memo", displayName = "Memo" });
        await CreateRecordAsync(new { typeName = "memo", userId = user, payload = new { text = "Private words" } });
        var response = await CompletedAsync(await SubmitAsync(new { subjectType = "user", subjectId = user }));
        var certificate = JsonNode.Parse(response.GetProperty("certificate").GetRawText())!.AsObject();
        Assert.DoesNotContain("Private words", certificate.ToJsonString(), StringComparison.Ordinal);
        var jwks = await ExpectAsync(await Client.GetAsync("/v1/auth/jwks"), HttpStatusCode.OK);

        Assert.True(Verifies(certificate, jwks));

        var tampered = (JsonObject)certificate.DeepClone();
        tampered["sharedRowsSkipped"] = 42;
        Assert.False(Verifies(tampered, jwks));

        var forged = (JsonObject)certificate.DeepClone();
        var parts = forged["signature"]!.GetValue<string>().Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["sharedRowsSkipped"] = 42;
        forged["sharedRowsSkipped"] = 42;
        forged["signature"] = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        Assert.False(Verifies(forged, jwks));
    }

    /// <summary>
    /// What a holder of a certificate does: the JWS signature must verify with the JWKS key its header names, and its
    /// payload must be the certificate itself (every member but <c>signature</c>).
    /// </summary>
    private static bool Verifies(JsonObject certificate, JsonElement jwks)
    {
        var parts = certificate["signature"]!.GetValue<string>().Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var kid = header.GetProperty("kid").GetString();
        var key = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Base64Url.DecodeFromChars(key.GetProperty("x").GetString()),
                Y = Base64Url.DecodeFromChars(key.GetProperty("y").GetString()),
            },
        });
        if (!ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256))
        {
            return false;
        }

        var signed = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]));
        var body = (JsonObject)certificate.DeepClone();
        body.Remove("signature");
        return JsonNode.DeepEquals(signed, body);
    }
}
