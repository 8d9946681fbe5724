using System.Text.Json.Serialization;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>The spec's list envelope (§1.5): <c>nextCursor</c> is null on the last page, never omitted.</summary>
public sealed record PageResponse<T>(
    IReadOnlyList<T> Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor);
