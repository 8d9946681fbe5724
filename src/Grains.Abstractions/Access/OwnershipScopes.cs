using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// Ownership scopes (API-DELTA-0.40 §1, §8.1): an item carries <c>userId</c> plus at most two <c>ns:value</c>
/// entries, one per namespace. The 0.31 fields are the same model: <c>orgId: X</c> is the scope <c>org:X</c> and
/// <c>clientId: Y</c> is <c>client:Y</c> (DESIGN §5a). This is the one parser of the grammar; every surface that
/// takes <c>scopes</c>, <c>?scope=</c> or a namespace name goes through it, so the rules cannot drift apart.
/// </summary>
public static partial class OwnershipScopes
{
    public const int MaxEntries = 2;
    public const string Org = "org";
    public const string Client = "client";

    /// <summary>Names that cannot be namespaces: they are words of the scope grammar or of the routes (§1).</summary>
    public static readonly IReadOnlySet<string> ReservedNamespaces = new HashSet<string>(StringComparer.Ordinal)
    {
        "user", "self", "tenant", "context", "scope", "record", "document", "entity", "versions", "lookup",
    };

    /// <summary>Namespace: 2–32 characters, <c>^[a-z][a-z0-9_-]*$</c>, not reserved.</summary>
    public static bool IsValidNamespace(string? ns) =>
        ns is { Length: >= 2 and <= 32 } && NamespacePattern().IsMatch(ns) && !ReservedNamespaces.Contains(ns);

    /// <summary>Value: 1–128 characters, a letter or digit first, then letters, digits, <c>_</c> and <c>-</c>.</summary>
    public static bool IsValidValue(string? value) => value is { Length: >= 1 and <= 128 } && ValuePattern().IsMatch(value);

    /// <summary>Parses one <c>ns:value</c> entry; the message names <paramref name="field"/> and the rule, never echoes the input.</summary>
    public static (string Namespace, string Value) Parse(string entry, string field)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new ValidationException(field, $"{field} entries must be 'namespace:value'.");
        }

        var ns = entry[..colon];
        var value = entry[(colon + 1)..];
        if (!IsValidNamespace(ns))
        {
            throw new ValidationException(
                field,
                ReservedNamespaces.Contains(ns)
                    ? $"{field}: '{ns}' is a reserved name and cannot be a namespace."
                    : $"{field}: a namespace is 2-32 characters, a lowercase letter first, then lowercase letters, digits, '_' or '-'.");
        }

        if (!IsValidValue(value))
        {
            throw new ValidationException(field, $"{field}: a scope value is 1-128 characters, a letter or digit first, then letters, digits, '_' or '-'.");
        }

        return (ns, value);
    }

    /// <summary>
    /// Reads a <c>scopes</c> member: an array of at most <see cref="MaxEntries"/> strings, one per namespace. Returns
    /// them normalised (sorted by namespace) so equal sets compare equal. <c>[]</c> is a valid, empty declaration.
    /// </summary>
    public static IReadOnlyList<string> Read(JsonNode? node, string field = "scopes")
    {
        if (node is not JsonArray array)
        {
            throw new ValidationException(field, $"{field} must be an array of 'namespace:value' strings.");
        }

        var entries = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                throw new ValidationException(field, $"{field} must be an array of 'namespace:value' strings.");
            }

            entries.Add(v.GetValue<string>());
        }

        return Normalise(entries, field);
    }

    /// <summary>Checks and orders a list of entries: at most two, each valid, no namespace twice.</summary>
    public static IReadOnlyList<string> Normalise(IEnumerable<string> entries, string field = "scopes")
    {
        var parsed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var (ns, value) = Parse(entry, field);
            if (!parsed.TryAdd(ns, value))
            {
                throw new ValidationException(field, $"{field} may name each namespace once.");
            }
        }

        if (parsed.Count > MaxEntries)
        {
            throw new ValidationException(field, $"{field} may hold at most {MaxEntries} entries.");
        }

        return parsed.Select(kv => $"{kv.Key}:{kv.Value}").ToList();
    }

    /// <summary>A <c>?scope=ns:value</c> filter, checked by the same grammar.</summary>
    public static string ReadFilter(string raw, string field = "scope")
    {
        var (ns, value) = Parse(raw, field);
        return $"{ns}:{value}";
    }

    /// <summary>The value held in <paramref name="ns"/>, if any.</summary>
    public static string? ValueOf(IReadOnlyList<string> scopes, string ns)
    {
        var prefix = ns + ":";
        foreach (var entry in scopes)
        {
            if (entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                return entry[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>The 0.31 <c>orgId</c>/<c>clientId</c> of a scope list: the org/client entry when its value is a UUID.</summary>
    public static Guid? LegacyId(IReadOnlyList<string> scopes, string ns) =>
        Guid.TryParse(ValueOf(scopes, ns), out var id) ? id : null;

    /// <summary>
    /// Sets (or, with a null value, keeps) the entry of <paramref name="ns"/>: how a 0.31 <c>orgId</c>/<c>clientId</c>
    /// lands on top of the scopes an item already has.
    /// </summary>
    public static IReadOnlyList<string> With(IReadOnlyList<string> scopes, string ns, string? value, string field)
    {
        if (value is null)
        {
            return scopes;
        }

        var prefix = ns + ":";
        return Normalise(scopes.Where(s => !s.StartsWith(prefix, StringComparison.Ordinal)).Append(prefix + value), field);
    }

    /// <summary>
    /// The ownership a write ends up with: a 0.40 declaration replaces <paramref name="current"/> whole (null = keep it);
    /// a 0.31 <c>orgId</c>/<c>clientId</c> then sets its namespace's entry on top. Returns <paramref name="current"/>
    /// itself when nothing changed, so record equality on a view spots a no-op write.
    /// </summary>
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> current, IReadOnlyList<string>? declared, Guid? orgId, Guid? clientId)
    {
        var scopes = With(declared ?? current, Org, orgId?.ToString(), "orgId");
        scopes = With(scopes, Client, clientId?.ToString(), "clientId");
        return scopes.SequenceEqual(current, StringComparer.Ordinal) ? current : scopes;
    }

    /// <summary>
    /// Reads an optional <c>scopes</c> member of a request that may also carry the 0.31 owner fields: null when absent,
    /// and a 400 when both forms are given, since they would say two things about one ownership.
    /// </summary>
    public static IReadOnlyList<string>? ReadDeclaration(JsonNode? scopes, bool legacyGiven)
    {
        CheckOneForm(scopes is not null, legacyGiven);
        return scopes is null ? null : Read(scopes);
    }

    /// <summary>A request states ownership as <c>scopes</c> or as orgId/clientId, never both (400 naming <c>scopes</c>).</summary>
    public static void CheckOneForm(bool scopesGiven, bool legacyGiven)
    {
        if (scopesGiven && legacyGiven)
        {
            throw new ValidationException("scopes", "Give ownership either as scopes or as orgId/clientId, not both.");
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamespacePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValuePattern();
}
