using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Vectros.TestSupport;

/// <summary>Base for API test classes: the shared server and a fresh partner (tenant) per class instance.</summary>
public abstract class ApiTestBase : IAsyncLifetime
{
    protected VectrosTestServer Server { get; private set; } = null!;

    protected TestPartner Partner { get; private set; } = null!;

    /// <summary>A client authenticated with the partner's test-tenant root key.</summary>
    protected HttpClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Server = await SharedServer.GetAsync();
        Partner = await Server.CreatePartnerAsync(GetType().Name);
        Client = Server.CreateClient(Partner.TestKey.RawKey);
    }

    public virtual Task DisposeAsync()
    {
        Client.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The server's database, for asserting what a request wrote (or did not).</summary>
    protected NpgsqlDataSource Db => Server.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>Creates a schema over HTTP, asserts 201 and returns its body.</summary>
    protected async Task<JsonElement> CreateSchemaAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/schemas", request);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }

    /// <summary>
    /// An org through the 0.31 route, returning its id: org and client are entity-backed namespaces, so an orgId or
    /// an <c>org:</c> scope must name one that exists.
    /// </summary>
    protected Task<Guid> CreateOrgAsync(HttpClient? client = null) => CreateIdentityAsync("/v1/orgs", client);

    /// <summary>A client through the 0.31 route, returning its id (see <see cref="CreateOrgAsync"/>).</summary>
    protected Task<Guid> CreateClientAsync(HttpClient? client = null) => CreateIdentityAsync("/v1/clients", client);

    private async Task<Guid> CreateIdentityAsync(string route, HttpClient? client)
    {
        var response = await (client ?? Client).PostAsJsonAsync(route, new { externalId = "x-" + Guid.NewGuid().ToString("N"), name = "Test" });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{route}: {response.StatusCode}: {body}");
        return Guid.Parse(body.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// Sends a body larger than the server accepts and returns the status, or null when the connection was closed
    /// under the client. The server answers 413 and closes the connection without reading the rest, and that close can
    /// reach the client while it is still writing (a broken pipe): both are the same refusal. Tests that need the 413
    /// body send a small over-limit body with a Content-Length (ErrorBodyTests).
    /// </summary>
    protected static async Task<HttpStatusCode?> OversizedAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return (await send()).StatusCode;
        }
        catch (HttpRequestException ex) when (ex.InnerException is IOException)
        {
            return null;
        }
    }

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    protected static StringContent RawJson(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
