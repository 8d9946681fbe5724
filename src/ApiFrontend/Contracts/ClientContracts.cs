using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec ClientRequest (L6793): the org fields plus <c>orgId</c>, the client's parent scope <c>org:&lt;orgId&gt;</c>.
/// The 0.40 <c>scopes</c> are accepted too; an <c>orgId</c> given beside them sets their <c>org</c> entry.
/// </summary>
public sealed record ClientRequest(
    string? ExternalId,
    string? Name,
    string? Status,
    string? OrgId,
    JsonObject? Payload,
    string? SchemaId,
    IReadOnlyList<string>? Scopes)
{
    public EntityWrite ToWrite(bool create) => EntityFields.Write(ExternalId, Name, Status, Payload, SchemaId, Scopes, create);
}

/// <summary>Spec ClientResponse (L6734): <c>orgId</c> is the client's <c>org</c> parent; the 0.40 <c>namespace</c> and <c>scopes</c> ride beside.</summary>
public sealed record ClientResponse
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public required string Id { get; init; }

    public required string ExternalId { get; init; }

    public string? Name { get; init; }

    public required string Status { get; init; }

    public string? OrgId { get; init; }

    public required JsonElement Payload { get; init; }

    public string? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public required string CreatedAt { get; init; }

    public required string Namespace { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public static ClientResponse From(EntityView view, bool? created = null) => new()
    {
        Created = created,
        Id = view.Id.ToString(),
        ExternalId = view.ExternalId,
        Name = view.Name,
        Status = view.Status,
        OrgId = OwnershipScopes.ValueOf(view.Scopes, OwnershipScopes.Org),
        Payload = view.Payload,
        SchemaId = view.SchemaId?.ToString(),
        SchemaVersion = view.SchemaVersion,
        CreatedAt = Timestamps.Format(view.CreatedAt),
        Namespace = view.Namespace,
        Scopes = view.Scopes,
    };

    public static PageResponse<ClientResponse> Page(EntityPage page) => new(page.Data.Select(v => From(v)).ToList(), page.NextCursor);
}
