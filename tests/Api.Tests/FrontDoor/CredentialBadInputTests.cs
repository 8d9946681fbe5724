using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>Malformed, over-long, mis-prefixed and revoked credentials are one 401 and write nothing (issue #9 item 11).</summary>
public sealed class CredentialBadInputTests : ApiTestBase
{
    public static TheoryData<string> Headers => new()
    {
        "Bearer",
        "Bearer  ",
        "bearer",
        "Bearer\tsk_test_abc",
        "Token sk_test_abc",
        "Basic c2tfdGVzdF9hYmM6",
        "Bearer sk_prod_abcdefghijklmnopqrstuvwxyz0123456789",
        "Bearer SK_TEST_abcdefghijklmnopqrstuvwxyz0123456789",
        "Bearer sk_test_",
        "Bearer sk_live_",
        "Bearer sk_test_abc def",
        "Bearer sk_test_abc, Bearer sk_live_def",
        "Bearer \"sk_test_abc\"",
        "Bearer sk_test_" + new string('a', 5000),
        "Bearer " + new string('x', 20000),
        "Bearer st_eyJhbGciOiJub25lIn0.e30.",
        "Bearer ssk_test_abc",
        "Bearer pk_test_abc",
        "Bearer %73k_test_abc",
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task A_bad_credential_is_a_401_and_writes_nothing(string header)
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        var read = await client.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await JsonAsync(read)).GetProperty("errorCode").GetString());

        var write = await client.PostAsJsonAsync("/v1/folders", new { name = "never" });
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal(0L, await FolderCountAsync());
    }

    [Fact]
    public async Task The_same_key_twice_in_one_header_or_in_two_headers_is_refused()
    {
        using var client = Server.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", new[] { "Bearer " + Partner.TestKey.RawKey, "Bearer " + Partner.TestKey.RawKey });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/v1/folders", new { name = "never" })).StatusCode);
        Assert.Equal(0L, await FolderCountAsync());
    }

    [Fact]
    public async Task A_revoked_root_key_is_a_401_and_writes_nothing()
    {
        var partner = await Server.CreatePartnerAsync("revoked-key");
        using var client = Server.CreateClient(partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/ping")).StatusCode);
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.NoContent, (await op.PostAsync($"/developer/keys/{partner.TestKey.KeyId}/revoke", null)).StatusCode);

        // Revocation takes effect within the credential cache time (2 s by default, at most 4).
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        var response = await client.PostAsJsonAsync("/v1/folders", new { name = "after revoke" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/ping")).StatusCode);

        await using var cmd = Db.CreateCommand("SELECT count(*) FROM folders WHERE tenant_id = $1");
        cmd.Parameters.AddWithValue(partner.TestTenantId);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    private async Task<long> FolderCountAsync()
    {
        await using var cmd = Db.CreateCommand("SELECT count(*) FROM folders WHERE tenant_id = $1");
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
