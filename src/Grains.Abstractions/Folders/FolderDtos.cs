using Orleans;

namespace Vectros.Grains.Abstractions.Folders;

/// <summary>A folder as stored (spec FolderResponse without the create-only <c>created</c> flag).</summary>
[GenerateSerializer, Immutable, Alias("vectros.FolderView")]
public sealed record FolderView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? ParentFolderId,
    [property: Id(2)] string Name,
    [property: Id(3)] string? Description,
    [property: Id(4)] string Slug,
    [property: Id(5)] int Depth,
    [property: Id(6)] bool IsProtected,
    [property: Id(7)] Guid? UserId,
    [property: Id(8)] IReadOnlyList<string> Scopes,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset LastModified,
    [property: Id(12)] long Version);

/// <summary>
/// <c>POST /v1/folders</c>, already validated: <see cref="Slug"/> is given or derived from the name
/// (<see cref="FolderRules.DeriveSlug"/>); a null <see cref="ParentFolderId"/> means the context root.
/// With <see cref="Upsert"/>, an existing folder at the same slug + parent takes the request's mutable fields.
/// </summary>
[GenerateSerializer, Alias("vectros.CreateFolderCommand")]
public sealed record CreateFolderCommand(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] string Slug,
    [property: Id(3)] Guid? ParentFolderId,
    [property: Id(4)] Guid? UserId,
    [property: Id(5)] Guid? OrgId,
    [property: Id(6)] Guid? ClientId,
    [property: Id(7)] bool Upsert,
    [property: Id(8)] IReadOnlyList<string>? Scopes = null);

/// <summary>
/// A change to a folder's mutable fields (PUT, PATCH, upsert): null keeps the current value, because clearing is
/// not supported in this release (spec L2760). <see cref="ExpectedVersion"/> makes the write conditional.
/// </summary>
[GenerateSerializer, Alias("vectros.UpdateFolderCommand")]
public sealed record UpdateFolderCommand(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] Guid? UserId,
    [property: Id(3)] Guid? OrgId,
    [property: Id(4)] Guid? ClientId,
    [property: Id(5)] long? ExpectedVersion,
    [property: Id(6)] IReadOnlyList<string>? Scopes = null);

/// <summary>
/// The row a folder grain inserts for itself. A null <see cref="ParentFolderId"/> is the context root (depth 0);
/// otherwise the depth is the parent's plus one, read under a lock on the parent row.
/// </summary>
[GenerateSerializer, Alias("vectros.NewFolder")]
public sealed record NewFolder(
    [property: Id(0)] Guid? ParentFolderId,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] string Slug,
    [property: Id(4)] Guid? UserId,
    [property: Id(5)] IReadOnlyList<string> Scopes,
    [property: Id(7)] bool IsProtected,
    [property: Id(8)] string? ChangeReason);

/// <summary>Result of an idempotent create: <see cref="Created"/> is false when the slug + parent already existed.</summary>
[GenerateSerializer, Immutable, Alias("vectros.FolderCreateResult")]
public sealed record FolderCreateResult([property: Id(0)] FolderView Folder, [property: Id(1)] bool Created);

/// <summary><c>GET /v1/folders</c> filters; all optional and combined with AND.</summary>
[GenerateSerializer, Alias("vectros.FolderListQuery")]
public sealed record FolderListQuery([property: Id(0)] Guid? ParentFolderId, [property: Id(1)] Guid? UserId, [property: Id(2)] IReadOnlyList<string> Scopes, [property: Id(4)] string? StartFrom, [property: Id(5)] int Limit);

/// <summary>One page of folders in id (creation) order.</summary>
[GenerateSerializer, Immutable, Alias("vectros.FolderPage")]
public sealed record FolderPage([property: Id(0)] IReadOnlyList<FolderView> Data, [property: Id(1)] string? NextCursor);
