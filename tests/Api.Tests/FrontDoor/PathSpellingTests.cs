using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>
/// Routing matches paths case-insensitively, and Kestrel decodes escapes and removes dot segments before routing, so
/// every spelling that can reach a <c>/v1</c> handler must meet the credential check first (issue #9 item 10).
/// Raw request lines: HttpClient would normalise these spellings before sending them.
/// </summary>
public sealed class PathSpellingTests : ApiTestBase
{
    public static TheoryData<string, string> Spellings => new()
    {
        { "GET", "/V1/ping" },
        { "GET", "/v1/PING" },
        { "GET", "/V1/Ping?x=1" },
        { "GET", "//v1/ping" },
        { "GET", "///V1/ping" },
        { "GET", "/v1//ping" },
        { "GET", "/v1/./ping" },
        { "GET", "/./v1/ping" },
        { "GET", "/x/../v1/ping" },
        { "GET", "/x/../V1/ping" },
        { "GET", "/%761/ping" },
        { "GET", "/%561/ping" },
        { "GET", "/v%31/ping" },
        { "GET", "/v1/%70ing" },
        { "GET", "/v1/ping/" },
        { "GET", "/V1/records?recent=true" },
        { "GET", "/V1/SCHEMAS" },
        { "GET", "/V1/app-contexts" },
        { "POST", "/V1/records/batch" },
        { "POST", "//v1/records" },
        { "POST", "/v1/./records" },
        { "POST", "/%76%31/records" },
        { "POST", "/V1/Search" },
        { "POST", "/V1/folders" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Every_spelling_of_a_v1_route_needs_a_credential(string method, string target)
    {
        var body = method == "POST" ? "{\"typeName\":\"note\",\"payload\":{},\"records\":[],\"name\":\"x\",\"query\":\"x\"}" : null;
        var (status, response) = await RawHttp.SendAsync(Server.BaseAddress, method, target, jsonBody: body);
        Assert.True(status == 401, $"{method} {target} answered {status}:\n{response}");
        Assert.Contains("\"errorCode\":\"UNAUTHORIZED\"", response, StringComparison.Ordinal);

        (status, response) = await RawHttp.SendAsync(Server.BaseAddress, method, target, "Bearer sk_test_" + new string('x', 43), body);
        Assert.True(status == 401, $"{method} {target} with an unknown key answered {status}:\n{response}");
    }

    [Theory]
    [InlineData("/V1/ping")]
    [InlineData("//v1/ping")]
    [InlineData("/v1/./ping")]
    [InlineData("/%561/ping")]
    public async Task A_spelling_that_routes_serves_the_caller_with_a_credential(string target)
    {
        var (status, response) = await RawHttp.SendAsync(Server.BaseAddress, "GET", target, "Bearer " + Partner.TestKey.RawKey);
        Assert.True(status is 200 or 404, $"GET {target} answered {status}:\n{response}");
        if (status == 200)
        {
            Assert.Contains(Partner.TestTenantId, response, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unauthenticated_batch_under_any_spelling_writes_nothing()
    {
        const string batch = "{\"records\":[{\"typeName\":\"note\",\"payload\":{\"topic\":\"a\"}}]}";
        foreach (var target in new[] { "/V1/records/batch", "/v1/./records/batch", "//V1/records/batch" })
        {
            Assert.Equal(401, (await RawHttp.SendAsync(Server.BaseAddress, "POST", target, jsonBody: batch)).Status);
        }

        await using var cmd = Db.CreateCommand("SELECT count(*) FROM records WHERE tenant_id = $1");
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }
}
