using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec OrgRequest (L8137), plus the 0.40 <c>scopes</c> (an org's parents), since one server accepts either form
/// (DESIGN §5a). On PUT a null keeps the stored value and <c>payload</c> replaces the stored one whole.
/// </summary>
public sealed record OrgRequest(
    string? ExternalId,
    string? Name,
    string? Status,
    JsonObject? Payload,
    string? SchemaId,
    IReadOnlyList<string>? Scopes)
{
    public EntityWrite ToWrite(bool create) => EntityFields.Write(ExternalId, Name, Status, Payload, SchemaId, Scopes, create);
}

/// <summary>Spec OrgResponse (L8080): an entity of the <c>org</c> namespace; the 0.40 <c>namespace</c> and <c>scopes</c> ride beside.</summary>
public sealed record OrgResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public required string Id { get; init; }

    public required string ExternalId { get; init; }

    public string? Name { get; init; }

    public required string Status { get; init; }

    public required JsonElement Payload { get; init; }

    public string? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public required string CreatedAt { get; init; }

    public required string Namespace { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public static OrgResponse From(EntityView view, bool? created = null) => new()
    {
        Created = created,
        Id = view.Id.ToString(),
        ExternalId = view.ExternalId,
        Name = view.Name,
        Status = view.Status,
        Payload = view.Payload,
        SchemaId = view.SchemaId?.ToString(),
        SchemaVersion = view.SchemaVersion,
        CreatedAt = Timestamps.Format(view.CreatedAt),
        Namespace = view.Namespace,
        Scopes = view.Scopes,
    };

    public static PageResponse<OrgResponse> Page(EntityPage page) => new(page.Data.Select(v => From(v)).ToList(), page.NextCursor);
}
