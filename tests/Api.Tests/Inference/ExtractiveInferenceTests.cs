using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>End to end with the default model (the local extractive answerer) on the shared server: no test doubles.</summary>
public sealed partial class ExtractiveInferenceTests : ApiTestBase
{
    [Fact]
    public async Task Rag_with_the_extractive_answerer_cites_only_real_results_and_is_charged()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = Partner.TestTenantId, amountCents = 500, reference = "extractive" })).StatusCode);
        var ids = new List<string>();
        foreach (var (title, text) in new[] { ("Refunds", "Refunds are issued within five business days of receiving the return."), ("Hours", "The store opens at nine in the morning.") })
        {
            var created = await Client.PostAsJsonAsync("/v1/documents", new { title, text, indexMode = "HYBRID" });
            ids.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        }

        foreach (var id in ids)
        {
            await Poll.UntilAsync(async () =>
                (await Client.GetFromJsonAsync<JsonElement>($"/v1/documents/{id}")).GetProperty("indexStatus").GetString() == "INDEXED", "indexed");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/rag") { Content = JsonContent.Create(new { query = "when are refunds issued", search = new { mode = "TEXT" } }) };
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sse = await SseParser.ReadAsync(await response.Content.ReadAsStreamAsync());
        Assert.Equal("search_results", sse.Events[0].Type);
        Assert.Equal("done", sse.Events[^1].Type);
        var results = JsonDocument.Parse(sse.Events[0].Data).RootElement.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("documentId").GetString()).ToHashSet();
        var answer = string.Concat(sse.Events.Where(e => e.Type == "content_delta").Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta").GetString()));
        var cited = Citation().Matches(answer).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(cited);
        Assert.All(cited, c => Assert.Contains(c, results));
        Assert.Contains(ids[0], cited);

        var done = JsonDocument.Parse(sse.Events[^1].Data).RootElement;
        var cents = done.GetProperty("inferenceBalanceCentsCharged").GetInt64();
        await using var cmd = Db.CreateCommand("SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM inference_ledger WHERE tenant_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
        Assert.Equal(500 - cents, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [GeneratedRegex(@"\[([0-9a-f-]{36})\]")]
    private static partial Regex Citation();
}
