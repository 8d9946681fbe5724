using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// Every implemented operation, called over real HTTP, answers with bodies that validate against the spec's
/// component schemas, for each status it can produce.
/// </summary>
public sealed class ImplementedOperationsTests : ApiTestBase
{
    /// <summary>
    /// Implemented operations that 0.40 added and spec 0.31 does not have (API-DELTA-0.40 §0.1); their responses are
    /// checked against the Delta040 shapes instead (IdentityContractTests).
    /// </summary>
    private static readonly HashSet<(string Method, string Path)> _delta040Operations =
    [
        ("GET", "/v1/namespaces"), ("POST", "/v1/namespaces"),
        ("GET", "/v1/namespaces/{namespace}"), ("PUT", "/v1/namespaces/{namespace}"), ("DELETE", "/v1/namespaces/{namespace}"),
        ("GET", "/v1/entities/{namespace}"), ("POST", "/v1/entities/{namespace}"), ("POST", "/v1/entities/{namespace}/lookup"),
        ("GET", "/v1/entities/{namespace}/{id}"), ("PUT", "/v1/entities/{namespace}/{id}"), ("DELETE", "/v1/entities/{namespace}/{id}"),
        ("GET", "/v1/entities/{namespace}/{id}/versions"),
        ("GET", "/v1/users/exists-by-email"),
        ("GET", "/v1/auth/issuers"), ("POST", "/v1/auth/issuers"), ("GET", "/v1/auth/issuers/{issuerId}"),
        ("DELETE", "/v1/auth/issuers/{issuerId}"), ("POST", "/v1/auth/token/exchange"),
    ];

    [SpecFact]
    public void Every_v1_route_is_an_operation_of_the_spec()
    {
        var routes = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/v1", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, e.RoutePattern.RawText!)))
            .ToList();
        Assert.NotEmpty(routes);
        foreach (var (method, path) in routes.Where(r => !_delta040Operations.Contains((r.m, r.Item2.TrimEnd('/')))))
        {
            ContractAssert.HasOperation(method, path.TrimEnd('/'));
        }

        // Each 0.40-only operation is really served.
        Assert.All(_delta040Operations, op => Assert.Contains(routes, r => r.m == op.Method && r.Item2.TrimEnd('/') == op.Path));
    }

    [SpecFact]
    public async Task Ping()
    {
        await ContractAssert.MatchesResponseAsync("ping", await Client.GetAsync("/v1/ping"));
    }

    [SpecFact]
    public async Task App_context_operations()
    {
        await ContractAssert.MatchesResponseAsync("createAppContext",
            await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "contract", name = "Contract", description = "d" }));
        await ContractAssert.MatchesResponseAsync("createAppContext",
            await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "contract", name = "Contract" }));
        await ContractAssert.MatchesResponseAsync("createAppContext",
            await Client.PostAsJsonAsync("/v1/app-contexts?upsert=true", new { contextId = "contract", name = "Renamed" }));
        await ContractAssert.MatchesResponseAsync("createAppContext",
            await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "X", name = "bad" }));

        await ContractAssert.MatchesResponseAsync("listAppContexts", await Client.GetAsync("/v1/app-contexts?limit=1"));
        await ContractAssert.MatchesResponseAsync("listAppContexts", await Client.GetAsync("/v1/app-contexts"));

        await ContractAssert.MatchesResponseAsync("getAppContext", await Client.GetAsync("/v1/app-contexts/contract"));
        await ContractAssert.MatchesResponseAsync("getAppContext", await Client.GetAsync("/v1/app-contexts/missing"));

        await ContractAssert.MatchesResponseAsync("updateAppContext",
            await Client.PutAsJsonAsync("/v1/app-contexts/contract", new { description = "new" }));
        await ContractAssert.MatchesResponseAsync("updateAppContext",
            await Client.PutAsJsonAsync("/v1/app-contexts/missing", new { name = "x" }));

        await ContractAssert.MatchesResponseAsync("deleteAppContext", await Client.DeleteAsync("/v1/app-contexts/contract"));
        await ContractAssert.MatchesResponseAsync("deleteAppContext", await Client.DeleteAsync("/v1/app-contexts/missing?confirm=missing"));
        await ContractAssert.MatchesResponseAsync("deleteAppContext", await Client.DeleteAsync("/v1/app-contexts/contract?confirm=contract"));

        // After the delete the context reads back as purging or deleted, still a valid AppContextResponse.
        await ContractAssert.MatchesResponseAsync("getAppContext", await Client.GetAsync("/v1/app-contexts/contract"));
    }
}
