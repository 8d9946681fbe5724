using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Records;

/// <summary>
/// Index rows of a 0.40 composite lookup (<c>fieldNames</c>, API-DELTA §4). A record gets one row per leading run
/// of its values, so that any leading run is an exact key match: for <c>[status, area]</c> and
/// <c>{status: open, area: billing}</c>, a row keyed <c>["open"]</c> whose group key holds <c>["billing"]</c>, and a
/// row keyed <c>["open","billing"]</c>. A leading run's matches are ordered by the group key, so records that share
/// the remaining values come out together, then by the sort key within each group. Rows carry the composite's
/// identity (its comma-joined, ordered field ids) as their field, so a reordering indexes separately.
/// </summary>
public static class CompositeLookup
{
    private const string DigestPrefix = "#sha256:";

    /// <summary>
    /// The rows for one record. A run stops at the first field the record lacks: its later runs could never be
    /// matched (values are given in order), but its shorter runs still list it, grouped under a missing value.
    /// </summary>
    public static IEnumerable<LookupRow> Rows(LookupDefinition lookup, JsonObject plaintext, LookupSortKey sort)
    {
        var fields = lookup.Fields;
        var parts = fields.Select(f => PayloadPath.Get(plaintext, PayloadPath.Split(f)) is JsonValue v ? LookupKeys.Canonical(v) : null).ToArray();
        for (var run = 1; run <= parts.Length && parts[run - 1] is not null; run++)
        {
            yield return new LookupRow(lookup.Key, Key(parts.Take(run)), null, null, IsUnique: false)
            {
                GroupKey = run == parts.Length ? "" : Group(parts.Skip(run)),
                Sort = sort,
            };
        }
    }

    /// <summary>The exact-match key of a run of canonical values (the same on write and on query).</summary>
    public static string Key(IEnumerable<string?> values) => Bounded(JsonSerializer.Serialize(values.ToArray()));

    private static string Group(IEnumerable<string?> values) => Bounded(JsonSerializer.Serialize(values.ToArray()));

    // A btree entry must stay small: long keys become a digest (exact match and grouping still hold).
    private static string Bounded(string encoded) =>
        encoded.Length <= RecordLimits.MaxIndexedValueLength
            ? encoded
            : DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(encoded)));
}
