using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Exports;

/// <summary>Submits exports, polls them to the end and downloads their payload over real HTTP.</summary>
internal static class ExportClient
{
    public static async Task<string> SubmitAsync(HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/v1/admin/export", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body}");
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        return body.GetProperty("exportJobId").GetString()!;
    }

    /// <summary>Polls until the job is completed or failed; returns its last body.</summary>
    public static async Task<JsonElement> WaitAsync(HttpClient client, string id, TimeSpan? limit = null)
    {
        JsonElement body = default;
        await Poll.UntilAsync(async () =>
        {
            body = await client.GetFromJsonAsync<JsonElement>($"/v1/admin/export/{id}");
            return body.GetProperty("status").GetString() is "completed" or "failed";
        }, $"export {id} to finish", limit ?? TimeSpan.FromSeconds(60));
        Assert.Equal("completed", body.GetProperty("status").GetString());
        return body;
    }

    /// <summary>Downloads with no Authorization header and parses every line (each must be one JSON object).</summary>
    public static async Task<List<JsonElement>> DownloadAsync(string url)
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var element = JsonDocument.Parse(line).RootElement.Clone();
            Assert.Equal(JsonValueKind.Object, element.ValueKind);
            Assert.True(element.TryGetProperty("type", out _), $"line without a type: {line}");
            return element;
        }).ToList();
    }

    public static async Task<(JsonElement Job, List<JsonElement> Lines)> RunAsync(HttpClient client, object request)
    {
        var job = await WaitAsync(client, await SubmitAsync(client, request));
        return (job, await DownloadAsync(job.GetProperty("downloadUrl").GetString()!));
    }

    public static IEnumerable<JsonElement> OfType(this List<JsonElement> lines, string type) =>
        lines.Where(l => l.GetProperty("type").GetString() == type);

    /// <summary>The manifest's counts agree with the lines, and the size with the bytes.</summary>
    public static void AssertCountsMatch(JsonElement job, List<JsonElement> lines)
    {
        var manifest = job.GetProperty("manifest");
        Assert.Equal("1.0", manifest.GetProperty("formatVersion").GetString());
        Assert.Equal("ndjson", manifest.GetProperty("format").GetString());
        Assert.Equal(lines.OfType("record").Count(), manifest.GetProperty("totalRecords").GetInt64());
        Assert.Equal(lines.OfType("document").Count(), manifest.GetProperty("totalDocuments").GetInt64());
        Assert.Equal(lines.OfType("folder").Count(), manifest.GetProperty("totalFolders").GetInt64());
        Assert.Equal(lines.OfType("user").Count() + lines.OfType("entity").Count(), manifest.GetProperty("totalIdentities").GetInt64());
    }
}
