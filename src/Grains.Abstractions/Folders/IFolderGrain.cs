using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Folders;

/// <summary>
/// One folder, keyed <c>tenant#context#folderId</c> (<see cref="CallerContext.KeyFor"/>). It owns the folder's
/// row, its version (the optimistic-concurrency token) and its history. A key whose tenant or context is not the
/// caller's, or whose id is not a folder there, behaves exactly like a missing folder.
/// </summary>
[Alias("vectros.IFolderGrain")]
public interface IFolderGrain : IGrainWithStringKey
{
    /// <summary>
    /// Inserts this folder with a CREATE history row. Called by <see cref="IFolderDirectoryGrain"/>, which resolves
    /// idempotency by slug + parent; null when a sibling with the same slug was inserted concurrently. A parent
    /// that is not a folder of the caller's context is a 400 on <c>parentFolderId</c>.
    /// </summary>
    Task<FolderView?> InsertAsync(CallerContext caller, NewFolder folder);

    /// <summary>The folder, or null when it does not exist (or was deleted).</summary>
    [ReadOnly]
    Task<FolderView?> GetAsync(CallerContext caller);

    /// <summary>Applies the non-null fields; 409 VERSION_CONFLICT when <c>ExpectedVersion</c> is stale. Unchanged content is a no-op.</summary>
    Task<FolderView> UpdateAsync(CallerContext caller, UpdateFolderCommand command);

    /// <summary>Deletes an empty, unprotected folder (400 otherwise) with a DELETE history row.</summary>
    Task DeleteAsync(CallerContext caller);

    /// <summary>History newest first, still readable after a delete (the DELETE row is part of it); 404 when the id has none.</summary>
    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, string? startFrom, int limit);
}
