using System.Net.Http.Json;
using System.Text.Json;
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

    protected static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    protected static StringContent RawJson(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
