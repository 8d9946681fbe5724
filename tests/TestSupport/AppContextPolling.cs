using System.Net.Http.Json;
using System.Text.Json;

namespace Vectros.TestSupport;

/// <summary>Teardown is asynchronous: tests poll a context's status the way a client would.</summary>
public static class AppContextPolling
{
    /// <summary>
    /// Reads the context's status every 100 ms until it is <c>deleted</c> or <paramref name="maxPolls"/> reads
    /// were made; returns every status seen, in order (the last is the final one).
    /// </summary>
    public static async Task<IReadOnlyList<string>> StatusesUntilDeletedAsync(HttpClient client, string contextId, int maxPolls = 300)
    {
        var statuses = new List<string>();
        for (var i = 0; i < maxPolls; i++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/v1/app-contexts/{contextId}");
            var status = body.GetProperty("status").GetString()!;
            statuses.Add(status);
            if (status == "deleted")
            {
                break;
            }

            await Task.Delay(100);
        }

        return statuses;
    }
}
