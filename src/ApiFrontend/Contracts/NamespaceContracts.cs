using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// NamespaceRequest (API-DELTA-0.40 §8.2) for POST and PUT. On PUT a null keeps the stored value, and
/// <c>namespace</c>, when sent, must be the path's name (it is immutable).
/// </summary>
public sealed record NamespaceRequest(
    string? Namespace,
    int? SpecificityRank,
    bool? EntityBacked,
    string? DefaultSchemaId,
    string? MembershipRecordType,
    string? MembershipTargetField,
    string? MembershipContextId,
    string? MembershipLevelField,
    IReadOnlyList<string>? MembershipLevels)
{
    public NamespaceDefinition ToDefinition() => new()
    {
        SpecificityRank = SpecificityRank,
        EntityBacked = EntityBacked,
        DefaultSchemaId = DefaultSchemaId is null ? null
            : Guid.TryParse(DefaultSchemaId, out var id) ? id
            : throw new ValidationException("defaultSchemaId", "defaultSchemaId must be a schema id (UUID)."),
        MembershipRecordType = MembershipRecordType,
        MembershipTargetField = MembershipTargetField,
        MembershipContextId = MembershipContextId,
        MembershipLevelField = MembershipLevelField,
        MembershipLevels = MembershipLevels,
    };
}

/// <summary>NamespaceResponse (§8.2): the request fields, <c>contextId</c> (null = tenant-wide, always present), <c>reserved</c>, <c>createdAt</c>.</summary>
public sealed record NamespaceResponse
{
    public required string Namespace { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ContextId { get; init; }

    public required int SpecificityRank { get; init; }

    public required bool EntityBacked { get; init; }

    public string? DefaultSchemaId { get; init; }

    public string? MembershipRecordType { get; init; }

    public string? MembershipTargetField { get; init; }

    public string? MembershipContextId { get; init; }

    public string? MembershipLevelField { get; init; }

    public IReadOnlyList<string>? MembershipLevels { get; init; }

    public required bool Reserved { get; init; }

    public required string CreatedAt { get; init; }

    public static NamespaceResponse From(NamespaceView view) => new()
    {
        Namespace = view.Namespace,
        ContextId = view.ContextId,
        SpecificityRank = view.SpecificityRank,
        EntityBacked = view.EntityBacked,
        DefaultSchemaId = view.DefaultSchemaId?.ToString(),
        MembershipRecordType = view.MembershipRecordType,
        MembershipTargetField = view.MembershipTargetField,
        MembershipContextId = view.MembershipContextId,
        MembershipLevelField = view.MembershipLevelField,
        MembershipLevels = view.MembershipLevels,
        Reserved = view.Reserved,
        CreatedAt = Timestamps.Format(view.CreatedAt),
    };
}
