using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Bad create bodies are a 400 naming the field, and nothing is written.</summary>
public sealed class ScopedKeyBadInputTests : ScopedKeyTestBase
{
    public static TheoryData<string, string> BadBodies() => new()
    {
        { """{"keyName":"a","tenantId":"T","contextId":"default","userId":"U","scopes":["*"]}""", "scopes" },
        { """{"keyName":"","tenantId":"T","contextId":"default","userId":"U"}""", "keyName" },
        { """{"keyName":"   ","tenantId":"T","contextId":"default","userId":"U"}""", "keyName" },
        { $$"""{"keyName":"{{new string('k', 101)}}","tenantId":"T","contextId":"default","userId":"U"}""", "keyName" },
        { """{"keyName":7,"tenantId":"T","contextId":"default","userId":"U"}""", "keyName" },
        { """{"tenantId":"T","contextId":"default","userId":"U"}""", "keyName" },
        { """{"keyName":"a","contextId":"default","userId":"U"}""", "tenantId" },
        { """{"keyName":"a","tenantId":"T","userId":"U"}""", "contextId" },
        { """{"keyName":"a","tenantId":"T","contextId":"default"}""", "userId" },
        { """{"keyName":"a","tenantId":"T","contextId":"default","userId":"U","label":" padded"}""", "label" },
        { $$"""{"keyName":"a","tenantId":"T","contextId":"default","userId":"U","label":"{{new string('l', 81)}}"}""", "label" },
        { """{"keyName":"a","keyName":"b","tenantId":"T","contextId":"default","userId":"U"}""", "keyName" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_naming_the_field_and_writes_nothing(string template, string field)
    {
        var user = await UserWithProfileAsync(["schemas:r"]);
        var json = template.Replace("\"T\"", $"\"{Partner.TestTenantId}\"", StringComparison.Ordinal).Replace("\"U\"", $"\"{user}\"", StringComparison.Ordinal);
        var response = await Client.PostAsync(Route, RawJson(json));
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains(field, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await ScopedKeyRowsAsync());
    }

    [Fact]
    public async Task Bad_credentials_and_list_parameters_are_refused()
    {
        using var forged = Server.CreateClient("ssk_test_" + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(forged, "/v1/ping"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(Client, $"{Route}?limit=0"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(Client, $"{Route}?startFrom=raw-key-id"));
        var (_, raw) = await MintKeyAsync(await UserWithProfileAsync(["schemas:r"]));
        using var truncated = Server.CreateClient(raw[..^1]);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(truncated, "/v1/ping"));
    }
}
