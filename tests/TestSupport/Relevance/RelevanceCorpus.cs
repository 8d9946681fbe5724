using System.Reflection;
using System.Text.Json;

namespace Vectros.TestSupport.Relevance;

/// <summary>One item of the relevance corpus: ingested as a document, or as a record of type <see cref="RelevanceCorpus.RecordType"/>.</summary>
public sealed record CorpusItem(string Key, string Topic, string Kind, string Title, string Text);

/// <summary>A query and the keys of the items judged relevant to it. <see cref="Type"/>: keyword, question or paraphrase.</summary>
public sealed record JudgedQuery(string Text, string Type, IReadOnlyList<string> Relevant);

/// <summary>
/// The relevance corpus (issue #8 item 7), written for this suite: 64 hand-written answers across eight topics
/// (<c>corpus-targets.json</c>), each the one right answer to some of the 60 judged queries, among 272 distractors
/// generated from topical word lists (<c>corpus-distractors.json</c>) that share the answers' vocabulary without
/// answering anything. Paraphrase queries share no lexeme with their answer (the harness checks it), so only the
/// semantic lane can find them.
/// </summary>
public sealed record RelevanceCorpus(IReadOnlyList<CorpusItem> Items, IReadOnlyList<JudgedQuery> Queries)
{
    /// <summary>The record type corpus records are written as (searchable title and body, filterable topic).</summary>
    public const string RecordType = "kb_entry";

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static RelevanceCorpus Load()
    {
        var targets = Read<TargetsFile>("corpus-targets.json");
        var distractors = Read<DistractorsFile>("corpus-distractors.json");
        var items = new List<CorpusItem>(targets.Targets);
        items.AddRange(Generate(distractors));
        return new RelevanceCorpus(items, targets.Queries);
    }

    /// <summary>
    /// A small corpus for checking the harness itself: the first <paramref name="queries"/> queries, their answers,
    /// and <paramref name="distractorsPerTopic"/> distractors of each topic.
    /// </summary>
    public RelevanceCorpus Slice(int queries, int distractorsPerTopic)
    {
        var chosen = Queries.Take(queries).ToList();
        var answers = chosen.SelectMany(q => q.Relevant).ToHashSet(StringComparer.Ordinal);
        var distractors = Items.Where(i => i.Key.StartsWith("noise-", StringComparison.Ordinal))
            .GroupBy(i => i.Topic).SelectMany(g => g.Take(distractorsPerTopic));
        return new RelevanceCorpus([.. Items.Where(i => answers.Contains(i.Key)), .. distractors], chosen);
    }

    /// <summary>Deterministic (fixed seed), so every run searches the same corpus.</summary>
    private static IEnumerable<CorpusItem> Generate(DistractorsFile file)
    {
        var random = new Random(8);
        foreach (var (topic, subjects) in file.Topics)
        {
            for (var i = 0; i < file.PerTopic; i++)
            {
                var a = subjects[random.Next(subjects.Count)];
                var b = subjects[(subjects.IndexOf(a) + 1 + random.Next(subjects.Count - 1)) % subjects.Count];
                var text = file.Templates[random.Next(file.Templates.Count)]
                    .Replace("{a}", a, StringComparison.Ordinal)
                    .Replace("{b}", b, StringComparison.Ordinal)
                    .Replace("{team}", file.Teams[random.Next(file.Teams.Count)], StringComparison.Ordinal)
                    .Replace("{when}", file.Whens[random.Next(file.Whens.Count)], StringComparison.Ordinal)
                    .Replace("{state}", file.States[random.Next(file.States.Count)], StringComparison.Ordinal);
                var title = char.ToUpperInvariant(a[0]) + a[1..];
                yield return new CorpusItem($"noise-{topic}-{i}", topic, i % 3 == 0 ? "record" : "document", title, text);
            }
        }
    }

    private static T Read<T>(string name)
    {
        var assembly = typeof(RelevanceCorpus).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        return JsonSerializer.Deserialize<T>(stream, _json) ?? throw new InvalidDataException($"{name} is empty.");
    }

    private sealed record TargetsFile(List<CorpusItem> Targets, List<JudgedQuery> Queries);

    private sealed record DistractorsFile(
        int PerTopic, List<string> Templates, List<string> Teams, List<string> Whens, List<string> States, Dictionary<string, List<string>> Topics);
}
