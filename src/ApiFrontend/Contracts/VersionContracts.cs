using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.History;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec ModelDataVersionResponse (L5998), shared by every <c>…/versions</c> endpoint. <c>previousContent</c> and
/// <c>previousVersion</c> are absent on CREATE (the spec says null but does not declare them nullable).
/// </summary>
public sealed record ModelDataVersionResponse(
    string Id,
    string ChangeType,
    string? PreviousContent,
    long? PreviousVersion,
    string? ChangeReason,
    string ChangedBy,
    string CreatedAt,
    ModelChangesResponse? ChangedFields)
{
    public static ModelDataVersionResponse From(VersionView view) => new(
        view.Id.ToString(),
        view.ChangeType,
        view.PreviousContent,
        view.PreviousVersion,
        view.ChangeReason,
        view.ChangedBy,
        Timestamps.Format(view.CreatedAt),
        view.ChangedFields is null ? null : ModelChangesResponse.From(view.ChangedFields));

    /// <summary>A history page in the spec's envelope (ModelDataVersionPage).</summary>
    public static PageResponse<ModelDataVersionResponse> Page(VersionPage page) =>
        new(page.Data.Select(From).ToList(), page.NextCursor);
}

/// <summary>Spec ModelChanges (L5952).</summary>
public sealed record ModelChangesResponse(
    string Summary,
    IReadOnlyList<string> Fields,
    int Count,
    IReadOnlyDictionary<string, ChangedFieldResponse> Details)
{
    public static ModelChangesResponse From(ChangeSetView view) => new(
        view.Summary,
        view.Fields,
        view.Count,
        view.Details.ToDictionary(kv => kv.Key, kv => new ChangedFieldResponse(kv.Value.Name, kv.Value.SourceVal, kv.Value.TargetVal), StringComparer.Ordinal));
}

/// <summary>Spec ChangedField (L5939). A value that did not exist on one side (create, delete) is absent.</summary>
public sealed record ChangedFieldResponse(string Name, JsonNode? SourceVal, JsonNode? TargetVal);
