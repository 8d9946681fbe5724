using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vectros.TestSupport.Relevance;

/// <summary>A search configuration the suite measures: a mode and any extra request members (e.g. a text mode).</summary>
public sealed record RelevanceRun(string Name, string Mode, string? TextMode = null)
{
    /// <summary>TEXT and SEMANTIC alone, and HYBRID as a client gets it by default (PHRASE, slop 3) and with OR.</summary>
    public static readonly IReadOnlyList<RelevanceRun> Standard =
    [
        new("TEXT (OR)", "TEXT"),
        new("SEMANTIC", "SEMANTIC"),
        new("HYBRID (default: PHRASE, slop 3)", "HYBRID"),
        new("HYBRID (OR)", "HYBRID", "OR"),
    ];
}

/// <summary>Recall@10 and MRR@10 of one run, overall and by query type.</summary>
public sealed record RelevanceScore(string Run, int Queries, double RecallAt10, double Mrr, IReadOnlyDictionary<string, (double RecallAt10, double Mrr)> ByType);

/// <summary>
/// The relevance suite's runner (issue #8 item 7): ingests a <see cref="RelevanceCorpus"/> through the HTTP API,
/// waits until every item is INDEXED, then asks every judged query in each <see cref="RelevanceRun"/> and scores the
/// top 10 (uniqueDocuments, so each item counts once). MRR is the mean of 1 / rank of the first relevant item within
/// the top 10 (0 when none is there).
/// </summary>
public static class RelevanceHarness
{
    public const int Cutoff = 10;

    /// <summary>Ingests every item (documents, and records of <see cref="RelevanceCorpus.RecordType"/>) and returns id → key.</summary>
    public static async Task<IReadOnlyDictionary<Guid, string>> IngestAsync(HttpClient client, RelevanceCorpus corpus, TimeSpan timeout, int concurrency = 4)
    {
        var schema = await client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = RelevanceCorpus.RecordType,
            displayName = "Knowledge base entry",
            allowedSurfaces = new[] { "record" },
            indexMode = "HYBRID",
            fields = new object[]
            {
                new { fieldId = "title", fieldType = "string", searchable = true },
                new { fieldId = "body", fieldType = "string", searchable = true },
                new { fieldId = "topic", fieldType = "string", filterable = true },
            },
        });
        await EnsureAsync(schema, "create the record schema");

        var ids = new Dictionary<Guid, string>();
        var kinds = new Dictionary<Guid, string>();
        using var gate = new SemaphoreSlim(concurrency);
        await Task.WhenAll(corpus.Items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                var response = item.Kind == "record"
                    ? await client.PostAsJsonAsync("/v1/records", new
                    {
                        typeName = RelevanceCorpus.RecordType,
                        externalId = item.Key,
                        payload = new { title = item.Title, body = item.Text, topic = item.Topic },
                    })
                    : await client.PostAsJsonAsync("/v1/documents", new { title = item.Title, text = item.Text, indexMode = "HYBRID", externalId = item.Key, payload = new { topic = item.Topic } });
                await EnsureAsync(response, $"ingest {item.Key}");
                var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
                lock (ids)
                {
                    ids[id] = item.Key;
                    kinds[id] = item.Kind == "record" ? "records" : "documents";
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        await WaitIndexedAsync(client, kinds, timeout);
        return ids;
    }

    public static async Task<IReadOnlyList<RelevanceScore>> EvaluateAsync(
        HttpClient client, RelevanceCorpus corpus, IReadOnlyDictionary<Guid, string> keys, IReadOnlyList<RelevanceRun> runs)
    {
        var scores = new List<RelevanceScore>();
        foreach (var run in runs)
        {
            var perQuery = new List<(string Type, double Recall, double Reciprocal)>();
            foreach (var query in corpus.Queries)
            {
                var body = new Dictionary<string, object> { ["query"] = query.Text, ["mode"] = run.Mode, ["limit"] = Cutoff, ["uniqueDocuments"] = true };
                if (run.TextMode is not null)
                {
                    body["textMode"] = run.TextMode;
                }

                var response = await client.PostAsJsonAsync("/v1/search", body);
                await EnsureAsync(response, $"search '{query.Text}' ({run.Name})");
                var found = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()
                    .Select(r => keys.TryGetValue(Guid.Parse(r.GetProperty("documentId").GetString()!), out var key) ? key : "?")
                    .ToList();
                var relevant = query.Relevant.ToHashSet(StringComparer.Ordinal);
                var first = found.FindIndex(relevant.Contains);
                perQuery.Add((query.Type, found.Count(relevant.Contains) / (double)relevant.Count, first < 0 ? 0 : 1d / (first + 1)));
            }

            scores.Add(new RelevanceScore(
                run.Name,
                perQuery.Count,
                perQuery.Average(q => q.Recall),
                perQuery.Average(q => q.Reciprocal),
                perQuery.GroupBy(q => q.Type).ToDictionary(g => g.Key, g => (g.Average(q => q.Recall), g.Average(q => q.Reciprocal)))));
        }

        return scores;
    }

    /// <summary>The scores as a Markdown table (the README's), one row per run, overall then by query type.</summary>
    public static string Table(IReadOnlyList<RelevanceScore> scores)
    {
        var types = scores.SelectMany(s => s.ByType.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var table = new StringBuilder();
        table.Append("| run | recall@10 | MRR@10 |");
        foreach (var type in types)
        {
            table.Append(CultureInfo.InvariantCulture, $" {type} recall / MRR |");
        }

        table.AppendLine().Append("|---|---|---|").Append(string.Concat(types.Select(_ => "---|"))).AppendLine();
        foreach (var s in scores)
        {
            table.Append(CultureInfo.InvariantCulture, $"| {s.Run} | {s.RecallAt10:F3} | {s.Mrr:F3} |");
            foreach (var type in types)
            {
                var (recall, mrr) = s.ByType.TryGetValue(type, out var v) ? v : (0, 0);
                table.Append(CultureInfo.InvariantCulture, $" {recall:F3} / {mrr:F3} |");
            }

            table.AppendLine();
        }

        return table.ToString();
    }

    private static async Task WaitIndexedAsync(HttpClient client, Dictionary<Guid, string> kinds, TimeSpan timeout)
    {
        var pending = new HashSet<Guid>(kinds.Keys);
        await Poll.UntilAsync(async () =>
        {
            foreach (var id in pending.ToList())
            {
                var item = await client.GetFromJsonAsync<JsonElement>($"/v1/{kinds[id]}/{id}");
                var status = item.TryGetProperty("indexStatus", out var s) ? s.GetString() : null;
                if (status is "FAILED" or "SKIPPED")
                {
                    throw new InvalidOperationException($"{kinds[id]} {id} ended {status}: {item}");
                }

                if (status == "INDEXED")
                {
                    pending.Remove(id);
                }
            }

            return pending.Count == 0;
        }, $"{pending.Count} corpus items to be INDEXED", timeout);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
