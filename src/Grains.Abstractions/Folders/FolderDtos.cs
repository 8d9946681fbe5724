namespace Vectros.Grains.Abstractions.Folders;

/// <summary>A folder as stored (spec FolderResponse without the create-only <c>created</c> flag).</summary>
public sealed record FolderView(
    Guid Id,
    Guid? ParentFolderId,
    string Name,
    string? Description,
    string Slug,
    int Depth,
    bool IsProtected,
    Guid? UserId,
    Guid? OrgId,
    Guid? ClientId,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModified,
    long Version);

/// <summary>
/// <c>POST /v1/folders</c>, already validated: <see cref="Slug"/> is given or derived from the name
/// (<see cref="FolderRules.DeriveSlug"/>); a null <see cref="ParentFolderId"/> means the context root.
/// With <see cref="Upsert"/>, an existing folder at the same slug + parent takes the request's mutable fields.
/// </summary>
public sealed record CreateFolderCommand(
    string Name,
    string? Description,
    string Slug,
    Guid? ParentFolderId,
    Guid? UserId,
    Guid? OrgId,
    Guid? ClientId,
    bool Upsert);

/// <summary>
/// A change to a folder's mutable fields (PUT, PATCH, upsert): null keeps the current value, because clearing is
/// not supported in this release (spec L2760). <see cref="ExpectedVersion"/> makes the write conditional.
/// </summary>
public sealed record UpdateFolderCommand(
    string? Name,
    string? Description,
    Guid? UserId,
    Guid? OrgId,
    Guid? ClientId,
    long? ExpectedVersion);

/// <summary>
/// The row a folder grain inserts for itself. A null <see cref="ParentFolderId"/> is the context root (depth 0);
/// otherwise the depth is the parent's plus one, read under a lock on the parent row.
/// </summary>
public sealed record NewFolder(
    Guid? ParentFolderId,
    string Name,
    string? Description,
    string Slug,
    Guid? UserId,
    Guid? OrgId,
    Guid? ClientId,
    bool IsProtected,
    string? ChangeReason);

/// <summary>Result of an idempotent create: <see cref="Created"/> is false when the slug + parent already existed.</summary>
public sealed record FolderCreateResult(FolderView Folder, bool Created);

/// <summary><c>GET /v1/folders</c> filters; all optional and combined with AND.</summary>
public sealed record FolderListQuery(Guid? ParentFolderId, Guid? UserId, Guid? OrgId, Guid? ClientId, string? StartFrom, int Limit);

/// <summary>One page of folders in id (creation) order.</summary>
public sealed record FolderPage(IReadOnlyList<FolderView> Data, string? NextCursor);
