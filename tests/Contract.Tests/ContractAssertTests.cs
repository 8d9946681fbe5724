using System.Net;
using System.Text;
using Vectros.Contract.Tests.Spec;
using Xunit;
using Xunit.Sdk;

namespace Vectros.Contract.Tests;

/// <summary>Proves what <see cref="ContractAssert"/> accepts and rejects, without a server.</summary>
public sealed class ContractAssertTests
{
    private const string Ping = """
        {"status":"ok","tenantId":"ten_live_1","environment":"staging","principalType":"root_key","principalKeyId":"sk_live_abc"}
        """;

    private const string ErrorBody = """{"errorCode":"NOT_FOUND","message":"No such app context.","requestId":"req_1"}""";

    [SpecFact]
    public void Matches_schema_accepts_a_conforming_body_and_lists_every_error_otherwise()
    {
        ContractAssert.MatchesSchema("PingResponse", Ping);

        var failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesSchema("PingResponse", """{"status":1,"principalType":"admin"}"""));
        Assert.Contains("(5 errors)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("$: missing required property 'tenantId'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("$.status: expected string, got number", failure.Message, StringComparison.Ordinal);
        Assert.Contains("$.principalType: \"admin\" is not one of", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Body: {\"status\":1", failure.Message, StringComparison.Ordinal);
    }

    [SpecTheory]
    [InlineData("NoSuchSchema", "{}", "no component schema 'NoSuchSchema'")]
    [InlineData("PingResponse", "{not json", "not valid JSON")]
    [InlineData("PingResponse", """{"status":"ok","status":"ok"}""", "not valid JSON")]
    public void Matches_schema_rejects_unknown_schemas_and_invalid_json(string component, string json, string expected)
    {
        var failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesSchema(component, json));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [SpecFact]
    public void Matches_response_validates_the_declared_schema_for_the_status()
    {
        ContractAssert.MatchesResponse("ping", 200, Ping);
        ContractAssert.MatchesResponse("listAppContexts", 200, """{"data":[{"id":"t#a","contextId":"a","status":"active"}],"nextCursor":null}""");

        var failure = Assert.Throws<XunitException>(() =>
            ContractAssert.MatchesResponse("listAppContexts", 200, """{"data":[{"status":"weird"}],"nextCursor":null}"""));
        Assert.Contains("listAppContexts (GET /v1/app-contexts) 200: the body does not match AppContextPage", failure.Message, StringComparison.Ordinal);
        Assert.Contains("$.data[0].status: \"weird\" is not one of", failure.Message, StringComparison.Ordinal);
    }

    [SpecFact]
    public void Matches_response_rejects_a_status_the_operation_does_not_declare()
    {
        var failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("getAppContext", 500, ErrorBody));

        Assert.Contains("does not declare status 500; it declares 200, 404, 403", failure.Message, StringComparison.Ordinal);
        Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("noSuchOperation", 200, "{}"));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("ping", 200, string.Empty));
    }

    [SpecFact]
    public void An_undeclared_401_is_accepted_with_the_standard_error_body()
    {
        // DESIGN.md §5a: every endpoint answers a bad credential with 401, declared or not.
        ContractAssert.MatchesResponse("ping", 401, ErrorBody);
        Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("ping", 401, """{"error":"unauthorized"}"""));
    }

    [SpecTheory]
    [InlineData("")]
    [InlineData(ErrorBody)]
    [InlineData("""{"errorCode":"NOT_FOUND","message":"m","requestId":"r","details":{"contextId":"x"}}""")]
    public void An_error_status_without_declared_content_may_carry_nothing_or_the_standard_error_body(string body)
    {
        ContractAssert.MatchesResponse("getAppContext", 404, body);
    }

    [SpecTheory]
    [InlineData("""{"error":"not found"}""", "missing required property 'errorCode'")]
    [InlineData("""{"errorCode":"NOT_FOUND","message":"m","requestId":"r","stack":"..."}""", "property 'stack' is not allowed")]
    [InlineData("""{"errorCode":404,"message":"m","requestId":"r"}""", "$.errorCode: expected string, got number")]
    [InlineData("Not Found", "not valid JSON")]
    public void An_error_status_without_declared_content_rejects_other_bodies(string body, string expected)
    {
        var failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("getAppContext", 404, body));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }

    [SpecFact]
    public void A_success_without_declared_content_must_be_empty()
    {
        ContractAssert.MatchesResponse("deleteAppContext", 202, string.Empty);
        ContractAssert.MatchesResponse("deleteRecord", 204, string.Empty);

        var failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("deleteAppContext", 202, """{"status":"purging"}"""));
        Assert.Contains("the spec declares no content, but the body is not empty", failure.Message, StringComparison.Ordinal);
    }

    [SpecFact]
    public void An_event_stream_is_validated_event_by_event()
    {
        const string stream = """
            event: content_delta
            data: {"type":"content_delta","event":"content_delta","delta":"Hel"}

            event: content_delta
            data: {"type":"content_delta","event":"content_delta","delta":"lo"}

            event: done
            data: {"type":"done","event":"done","inputTokens":3,"outputTokens":2,"model":"local","platformCreditsCharged":0,"inferenceBalanceCentsCharged":0}


            """;
        ContractAssert.MatchesResponse("chatInference", 200, stream);

        var failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse(
            "chatInference",
            200,
            stream.Replace("\"delta\":\"lo\"", "\"delta\":7", StringComparison.Ordinal)));
        Assert.Contains("event 1 (content_delta) $.delta: expected string, got number", failure.Message, StringComparison.Ordinal);

        failure = Assert.Throws<XunitException>(() => ContractAssert.MatchesResponse("chatInference", 200, string.Empty));
        Assert.Contains("the stream holds no events", failure.Message, StringComparison.Ordinal);
    }

    [SpecFact]
    public async Task Matches_response_async_reads_status_body_and_content_type()
    {
        using var ok = Response(HttpStatusCode.OK, Ping, "application/json");
        await ContractAssert.MatchesResponseAsync("ping", ok);

        using var noContent = new HttpResponseMessage(HttpStatusCode.NoContent);
        await ContractAssert.MatchesResponseAsync("deleteRecord", noContent);

        using var wrongType = Response(HttpStatusCode.OK, Ping, "text/plain");
        var failure = await Assert.ThrowsAsync<XunitException>(() => ContractAssert.MatchesResponseAsync("ping", wrongType));
        Assert.Contains("Content-Type is text/plain, but the spec declares application/json", failure.Message, StringComparison.Ordinal);
    }

    [SpecTheory]
    [InlineData("GET", "/v1/ping")]
    [InlineData("get", "/v1/app-contexts")]
    [InlineData("DELETE", "/v1/app-contexts/{contextId}")]
    [InlineData("DELETE", "/v1/app-contexts/{id}")]
    [InlineData("PUT", "/v1/app-contexts/{contextId:regex(^[a-z]+$)}/")]
    public void Has_operation_finds_operations_whatever_the_parameter_names(string method, string path)
    {
        ContractAssert.HasOperation(method, path);
    }

    [SpecTheory]
    [InlineData("POST", "/v1/ping", "The spec has no POST /v1/ping; that path declares GET.")]
    [InlineData("GET", "/v1/nothing", "The spec has no path /v1/nothing (parameter names ignored).")]
    public void Has_operation_says_what_the_spec_has_instead(string method, string path, string expected)
    {
        var failure = Assert.Throws<XunitException>(() => ContractAssert.HasOperation(method, path));

        Assert.Equal(expected, failure.Message);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string mediaType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
}
