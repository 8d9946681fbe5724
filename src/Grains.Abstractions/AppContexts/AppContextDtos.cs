namespace Vectros.Grains.Abstractions.AppContexts;

/// <summary>Lifecycle of an app context (spec AppContextResponse.status).</summary>
public enum AppContextStatus
{
    Active,
    Purging,
    Deleted,
}

/// <summary>An app context as stored.</summary>
public sealed record AppContextView(
    string TenantId,
    string ContextId,
    string Name,
    string? Description,
    AppContextStatus Status,
    bool IsReserved,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModified)
{
    /// <summary>The spec's opaque composite id, also the list cursor.</summary>
    public string Id => AppContextKeys.Composite(TenantId, ContextId);
}

/// <summary>Create (idempotent by contextId); with <see cref="Upsert"/> an existing context takes the new name and description.</summary>
public sealed record CreateAppContextCommand(string Name, string? Description, bool Upsert);

/// <summary>Partial update: null keeps the current value.</summary>
public sealed record UpdateAppContextCommand(string? Name, string? Description);

/// <summary>Result of an idempotent create.</summary>
public sealed record AppContextCreateResult(AppContextView Context, bool Created);

/// <summary>One page of contexts, ordered by contextId.</summary>
public sealed record AppContextPage(IReadOnlyList<AppContextView> Data, string? NextCursor);
