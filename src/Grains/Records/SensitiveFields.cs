using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>
/// The sensitive fields of one schema and the four things done to them: encrypt for storage (AES-256-GCM with
/// the tenant data key; the value is replaced by <c>{"$enc":"v2.&lt;keyId&gt;.…"}</c> and bound to its
/// <see cref="CipherBinding"/>: tenant, context, kind, type, item and field),
/// decrypt, mask as <c>[redacted]</c> for callers without the reveal grant, and strip (remove outright) before
/// anything goes to history, tombstones or diffs.
/// </summary>
public sealed class SensitiveFields
{
    public const string Redacted = "[redacted]";
    public const string Marker = "$enc";

    private static readonly SensitiveFields _none = new([]);

    private readonly IReadOnlyList<(string FieldId, string[] Segments)> _fields;

    private SensitiveFields(IReadOnlyList<(string, string[])> fields) => _fields = fields;

    public static SensitiveFields None => _none;

    public static SensitiveFields Of(SchemaView? schema) =>
        schema is null || !schema.Definition.Fields.Any(f => f.Sensitive == true)
            ? None
            : new SensitiveFields(schema.Definition.Fields.Where(f => f.Sensitive == true)
                .Select(f => (f.FieldId, PayloadPath.Split(f.FieldId))).ToList());

    public bool Any => _fields.Count > 0;

    public IEnumerable<string> FieldIds => _fields.Select(f => f.FieldId);

    /// <summary>
    /// What a view's payload discloses for the read-access log: the sensitive fields present in it (masked or not) and
    /// whether they were revealed. Null when it holds none and the schema has not opted in with readAccessLog.
    /// </summary>
    public Abstractions.Logs.ReadDisclosure? Disclosure(JsonElement payload, bool revealed, SchemaView? schema)
    {
        var present = new List<string>();
        foreach (var (fieldId, segments) in _fields)
        {
            var node = payload;
            var found = true;
            foreach (var segment in segments)
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out node))
                {
                    found = false;
                    break;
                }
            }

            if (found && node.ValueKind != JsonValueKind.Null)
            {
                present.Add(fieldId);
            }
        }

        return present.Count > 0 || schema?.Definition.ReadAccessLog == true
            ? new Abstractions.Logs.ReadDisclosure(present, revealed)
            : null;
    }

    /// <summary>In place: every present, non-null sensitive value becomes its ciphertext marker.</summary>
    public void Encrypt(JsonObject payload, TenantKeys keys, CipherBinding binding)
    {
        foreach (var (fieldId, segments) in _fields)
        {
            if (PayloadPath.Parent(payload, segments) is { } parent
                && parent.TryGetPropertyValue(segments[^1], out var value) && value is not null)
            {
                // Input is always plaintext: even a value shaped like a marker is encrypted as data.
                var cipher = keys.Encrypt(value.ToJsonString(), binding.For(fieldId));
                parent[segments[^1]] = new JsonObject { [Marker] = cipher };
            }
        }
    }

    /// <summary>In place: every ciphertext marker becomes the plaintext value again.</summary>
    public void Decrypt(JsonObject payload, TenantKeys keys, CipherBinding binding)
    {
        foreach (var (fieldId, segments) in _fields)
        {
            if (PayloadPath.Parent(payload, segments) is { } parent
                && parent.TryGetPropertyValue(segments[^1], out var value) && value is JsonObject marker && IsMarker(marker))
            {
                var plain = keys.Decrypt(marker[Marker]!.GetValue<string>(), binding.For(fieldId), binding.Legacy(fieldId), fieldId);
                parent[segments[^1]] = JsonNode.Parse(plain);
            }
        }
    }

    /// <summary>In place: every present, non-null sensitive value becomes <c>[redacted]</c>.</summary>
    public void Mask(JsonObject payload)
    {
        foreach (var (_, segments) in _fields)
        {
            if (PayloadPath.Parent(payload, segments) is { } parent
                && parent.TryGetPropertyValue(segments[^1], out var value) && value is not null)
            {
                parent[segments[^1]] = Redacted;
            }
        }
    }

    /// <summary>In place: every sensitive member is removed (destroyed, not masked).</summary>
    public void Strip(JsonObject payload)
    {
        foreach (var (_, segments) in _fields)
        {
            PayloadPath.Parent(payload, segments)?.Remove(segments[^1]);
        }
    }

    /// <summary>In place, at any depth: removes every ciphertext marker, whatever the schema says today.</summary>
    public static void StripMarkers(JsonObject payload)
    {
        foreach (var (name, value) in payload.ToList())
        {
            if (value is JsonObject child)
            {
                if (IsMarker(child))
                {
                    payload.Remove(name);
                }
                else
                {
                    StripMarkers(child);
                }
            }
        }
    }

    private static bool IsMarker(JsonNode node) =>
        node is JsonObject { Count: 1 } obj && obj[Marker] is JsonValue v && v.GetValueKind() == JsonValueKind.String;
}
