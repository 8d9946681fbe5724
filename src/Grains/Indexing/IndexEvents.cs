using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Vectros.Grains.Indexing;

/// <summary>
/// The <c>events</c> rows indexing writes (issue #8 item 6): <c>record.indexed|record.failed|document.indexed|document.failed</c>.
/// <c>data</c> describes the source as the run left it; ids and state only, never payload values or text.
/// </summary>
internal static class IndexEvents
{
    /// <summary>
    /// A name-based id (RFC 9562 version 8 over SHA-256): one source version's result has one id, so the unique
    /// <c>event_id</c> makes a repeated report impossible.
    /// </summary>
    public static Guid Id(string tenantId, string contextId, string type, Guid sourceId, long version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{contextId}\n{type}\n{sourceId:D}\n{version}"));
        var bytes = hash.AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// <c>{id, externalId, typeName, title?, scopes, status, indexStatus, indexFailure?, version, chunkCount}</c>;
    /// <c>title</c> for documents only, <c>indexFailure</c> only when FAILED (API-DELTA §10).
    /// </summary>
    public static JsonObject Data(ChunkSource source, string status, IndexOutcome outcome)
    {
        var data = new JsonObject
        {
            ["id"] = source.Id.ToString(),
            ["externalId"] = source.ExternalId,
            ["typeName"] = source.TypeName,
        };
        if (source.Kind == ChunkSource.Document)
        {
            data["title"] = source.Title;
        }

        data["scopes"] = new JsonArray(source.Scopes.Select(s => (JsonNode?)s).ToArray());
        data["status"] = status;
        data["indexStatus"] = outcome.IndexStatus;
        if (outcome.Failure is { } failure)
        {
            data["indexFailure"] = failure.ToJson();
        }

        data["version"] = source.Version;
        data["chunkCount"] = outcome.Chunks.Count;
        return data;
    }
}
