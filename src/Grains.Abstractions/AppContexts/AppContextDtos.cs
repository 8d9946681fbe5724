using Orleans;

namespace Vectros.Grains.Abstractions.AppContexts;

/// <summary>Lifecycle of an app context (spec AppContextResponse.status).</summary>
[GenerateSerializer, Alias("vectros.AppContextStatus")]
public enum AppContextStatus
{
    Active,
    Purging,
    Deleted,
}

/// <summary>An app context as stored.</summary>
[GenerateSerializer, Immutable, Alias("vectros.AppContextView")]
public sealed record AppContextView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Description,
    [property: Id(4)] AppContextStatus Status,
    [property: Id(5)] bool IsReserved,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset LastModified)
{
    /// <summary>The spec's opaque composite id, also the list cursor.</summary>
    public string Id => AppContextKeys.Composite(TenantId, ContextId);
}

/// <summary>Create (idempotent by contextId); with <see cref="Upsert"/> an existing context takes the new name and description.</summary>
[GenerateSerializer, Alias("vectros.CreateAppContextCommand")]
public sealed record CreateAppContextCommand([property: Id(0)] string Name, [property: Id(1)] string? Description, [property: Id(2)] bool Upsert);

/// <summary>Partial update: null keeps the current value.</summary>
[GenerateSerializer, Alias("vectros.UpdateAppContextCommand")]
public sealed record UpdateAppContextCommand([property: Id(0)] string? Name, [property: Id(1)] string? Description);

/// <summary>Result of an idempotent create.</summary>
[GenerateSerializer, Immutable, Alias("vectros.AppContextCreateResult")]
public sealed record AppContextCreateResult([property: Id(0)] AppContextView Context, [property: Id(1)] bool Created);

/// <summary>One page of contexts, ordered by contextId.</summary>
[GenerateSerializer, Immutable, Alias("vectros.AppContextPage")]
public sealed record AppContextPage([property: Id(0)] IReadOnlyList<AppContextView> Data, [property: Id(1)] string? NextCursor);
