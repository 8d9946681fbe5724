using System.Net;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class PingTests : ApiTestBase
{
    [Fact]
    public async Task Root_key_ping_returns_its_tenant_and_key()
    {
        var response = await Client.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal(Partner.TestTenantId, body.GetProperty("tenantId").GetString());
        Assert.Equal("root_key", body.GetProperty("principalType").GetString());
        Assert.Equal(Partner.TestKey.KeyId, body.GetProperty("principalKeyId").GetString());
        Assert.Equal("staging", body.GetProperty("environment").GetString());
        Assert.False(body.TryGetProperty("allowedActions", out _), "allowedActions is only for scoped keys");
        Assert.False(body.TryGetProperty("tokenExpiresAt", out _), "tokenExpiresAt is only for tokens");
    }

    [Fact]
    public async Task Live_key_resolves_to_the_live_tenant()
    {
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        var body = await JsonAsync(await live.GetAsync("/v1/ping"));
        Assert.Equal(Partner.LiveTenantId, body.GetProperty("tenantId").GetString());
        Assert.NotEqual(Partner.LiveTenantId, Partner.TestTenantId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer sk_test_not-a-real-key-at-all-0000000000000000000")]
    [InlineData("Bearer ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ssk_unknown")]
    public async Task Missing_or_unknown_credential_gets_401_with_error_body(string? header)
    {
        using var client = Server.CreateClient();
        if (header is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        }

        var response = await client.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("UNAUTHORIZED", body.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.Equal(requestId, body.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task A_key_of_the_other_environment_is_a_different_principal()
    {
        var other = await Server.CreatePartnerAsync("other");
        using var client = Server.CreateClient(other.TestKey.RawKey);
        var body = await JsonAsync(await client.GetAsync("/v1/ping"));
        Assert.Equal(other.TestTenantId, body.GetProperty("tenantId").GetString());
        Assert.NotEqual(Partner.TestTenantId, other.TestTenantId);
    }
}
